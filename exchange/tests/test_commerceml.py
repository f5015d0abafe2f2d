"""The reader streams: records are handed over and dropped, whatever the file's size."""

import json
import subprocess
import sys
from pathlib import Path

from exchange import commerceml

ROOT = Path(__file__).resolve().parents[2]

GOOD = (
    "<Товар><Ид>g-{i}</Ид><Артикул>A-{i}</Артикул><Наименование>Товар {i}</Наименование>"
    "<Описание>{text}</Описание><ЗначенияСвойств><ЗначенияСвойства><Ид>p</Ид><Значение>{i}</Значение>"
    "</ЗначенияСвойства></ЗначенияСвойств></Товар>\n"
)


def test_a_large_file_is_read_in_constant_memory(tmp_path):
    path = tmp_path / "import.xml"
    text = "Описание товара. " * 20
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2">')
        out.write('<Каталог СодержитТолькоИзменения="false"><Товары>\n')
        for i in range(20_000):
            out.write(GOOD.format(i=i, text=text))
        out.write("</Товары></Каталог></КоммерческаяИнформация>\n")
    assert path.stat().st_size > 15 * 2**20

    # In a process of its own: tracemalloc counts every thread's allocations, and the suite's other
    # threads (a live server, a request finishing) must not count as the reader's.
    script = f"""
import json, tracemalloc
from exchange import commerceml
tracemalloc.start()
count, good = 0, None
for record in commerceml.records({str(path)!r}):
    if record.kind == "good":
        good = commerceml.good_of(record)
        count += 1
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps([count, good.id, good.sku, good.properties, good.line, peak]))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    count, good_id, sku, properties, line, peak = json.loads(result.stdout)

    assert count == 20_000
    assert (good_id, sku, properties, line) == ("g-19999", "A-19999", [["p", "19999"]], 20_002)
    assert peak < 4 * 2**20


def test_namespaced_and_plain_files_read_alike(tmp_path):
    plain = tmp_path / "plain.xml"
    spaced = tmp_path / "spaced.xml"
    body = "<Каталог><Товары><Товар><Ид>x</Ид><Наименование>Камера</Наименование></Товар></Товары></Каталог>"
    plain.write_text(f"<КоммерческаяИнформация>{body}</КоммерческаяИнформация>", encoding="utf-8")
    spaced.write_text(
        f'<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2">{body}</КоммерческаяИнформация>', encoding="utf-8"
    )

    read = [[commerceml.good_of(r).name for r in commerceml.records(p) if r.kind == "good"] for p in (plain, spaced)]

    assert read == [["Камера"], ["Камера"]]


def test_changes_only_is_read_as_an_attribute_or_an_element(tmp_path):
    path = tmp_path / "import.xml"
    path.write_text(
        "<КоммерческаяИнформация><Каталог><Ид>c</Ид><СодержитТолькоИзменения>false</СодержитТолькоИзменения>"
        "<Товары/></Каталог></КоммерческаяИнформация>",
        encoding="utf-8",
    )

    headers = [r.element.get("СодержитТолькоИзменения") for r in commerceml.records(path) if r.kind == "catalog"]

    assert headers == [None, "false"]
