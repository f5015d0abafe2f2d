"""The 1C exchange's import on PostgreSQL: 10,000 goods with 15 properties each and offers for 3 warehouses.

Writes a CommerceML 2.08 unload (namespaced, with BOM: import.xml with groups, 5 Справочник, 5 Число and
5 Строка properties; offers.xml with 2 price types and stock in 3 warehouses), then runs
`manage.py exchange_1c_import import.xml offers.xml` twice in a process of its own: the first import, and the
same files again unchanged. Prints the time and the peak memory (RSS) of each run and what it changed.

    .ci/with-services .venv/bin/python bench/exchange_bench.py              # throwaway PostgreSQL
    DATABASE_URL=postgres://user@127.0.0.1:5432/db .venv/bin/python bench/exchange_bench.py --goods 10000
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalog_bench import configure_environment, require_postgres  # noqa: E402
from bench.server import log  # noqa: E402

NS = "urn:1C.ru:commerceml_2"
PREFIX = "bench-"
WAREHOUSES = 3
GROUPS = 20
KINDS = ["Справочник"] * 5 + ["Число"] * 5 + ["Строка"] * 5


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_import(path: Path, goods: int, rng: random.Random) -> None:
    """import.xml: a full unload of `goods` goods with 15 property values each."""
    with open(path, "w", encoding="utf-8-sig") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="{NS}" ')
        out.write('ВерсияСхемы="2.08" ДатаФормирования="2026-12-07T10:00:00">\n<Классификатор>\n')
        out.write(f"<Ид>{PREFIX}classifier</Ид><Наименование>Классификатор</Наименование>\n<Группы>\n")
        out.write(f"<Группа><Ид>{PREFIX}grp-root</Ид><Наименование>Бенчмарк 1С</Наименование><Группы>\n")
        for g in range(GROUPS):
            out.write(f"<Группа><Ид>{PREFIX}grp-{g}</Ид><Наименование>Группа {g}</Наименование></Группа>\n")
        out.write("</Группы></Группа>\n</Группы>\n<Свойства>\n")
        for p, kind in enumerate(KINDS):
            out.write(f"<Свойство><Ид>{PREFIX}prop-{p}</Ид><Наименование>Свойство {p}</Наименование>")
            out.write(f"<ТипЗначений>{kind}</ТипЗначений>")
            if kind == "Справочник":
                out.write("<ВариантыЗначений>")
                for v in range(10):
                    out.write(f"<Справочник><ИдЗначения>{PREFIX}v-{p}-{v}</ИдЗначения>")
                    out.write(f"<Значение>Вариант {p}.{v}</Значение></Справочник>")
                out.write("</ВариантыЗначений>")
            out.write("</Свойство>\n")
        out.write('</Свойства>\n</Классификатор>\n<Каталог СодержитТолькоИзменения="false">\n')
        out.write(f"<Ид>{PREFIX}catalog</Ид><ИдКлассификатора>{PREFIX}classifier</ИдКлассификатора>")
        out.write("<Наименование>Каталог</Наименование>\n<Товары>\n")
        for i in range(goods):
            out.write(f"<Товар><Ид>{PREFIX}good-{i}</Ид><Артикул>BX-{i:06d}</Артикул>")
            out.write(f"<Наименование>{_escape(f'Товар бенчмарка {i} «Охрана»')}</Наименование>")
            out.write('<БазоваяЕдиница Код="796">шт</БазоваяЕдиница>')
            out.write(f"<Группы><Ид>{PREFIX}grp-{i % GROUPS}</Ид></Группы>")
            out.write(f"<Описание>Описание товара {i}. {'Надёжная защита объекта. ' * 5}</Описание>")
            out.write(f"<Изготовитель><Ид>{PREFIX}m-{i % 7}</Ид><Наименование>Бренд {i % 7}</Наименование>")
            out.write("</Изготовитель><ЗначенияСвойств>")
            for p, kind in enumerate(KINDS):
                if kind == "Справочник":
                    value = f"{PREFIX}v-{p}-{rng.randrange(10)}"
                elif kind == "Число":
                    value = f"{rng.randrange(1, 500)},{rng.randrange(10)}"
                else:
                    value = f"строка {rng.randrange(100)}"
                out.write(f"<ЗначенияСвойства><Ид>{PREFIX}prop-{p}</Ид><Значение>{value}</Значение>")
                out.write("</ЗначенияСвойства>")
            out.write("</ЗначенияСвойств><СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование>")
            out.write("<Ставка>22</Ставка></СтавкаНалога></СтавкиНалогов></Товар>\n")
        out.write("</Товары>\n</Каталог>\n</КоммерческаяИнформация>\n")


def write_offers(path: Path, goods: int, rng: random.Random) -> None:
    """offers.xml: retail and dealer prices, stock in three warehouses, for every good."""
    with open(path, "w", encoding="utf-8-sig") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="{NS}" ')
        out.write('ВерсияСхемы="2.08" ДатаФормирования="2026-12-07T10:00:05">\n')
        out.write('<ПакетПредложений СодержитТолькоИзменения="false">\n<ТипыЦен>\n')
        out.write(f"<ТипЦены><Ид>{PREFIX}price-retail</Ид><Наименование>Розничная</Наименование></ТипЦены>\n")
        out.write(f"<ТипЦены><Ид>{PREFIX}price-dealer</Ид><Наименование>Дилерская</Наименование></ТипЦены>\n")
        out.write("</ТипыЦен>\n<Склады>\n")
        for w in range(WAREHOUSES):
            out.write(f"<Склад><Ид>{PREFIX}wh-{w}</Ид><Наименование>Склад бенчмарка {w}</Наименование></Склад>\n")
        out.write("</Склады>\n<Предложения>\n")
        for i in range(goods):
            price = rng.randrange(500, 90_000)
            out.write(f"<Предложение><Ид>{PREFIX}good-{i}</Ид><Цены>")
            out.write(
                f"<Цена><ИдТипаЦены>{PREFIX}price-retail</ИдТипаЦены><ЦенаЗаЕдиницу>{price}</ЦенаЗаЕдиницу></Цена>"
            )
            out.write(f"<Цена><ИдТипаЦены>{PREFIX}price-dealer</ИдТипаЦены><ЦенаЗаЕдиницу>{price * 9 // 10}")
            out.write("</ЦенаЗаЕдиницу></Цена></Цены><Остатки>")
            for w in range(WAREHOUSES):
                out.write(f"<Остаток><Склад><Ид>{PREFIX}wh-{w}</Ид><Количество>{rng.randrange(0, 40)}</Количество>")
                out.write("</Склад></Остаток>")
            out.write("</Остатки></Предложение>\n")
        out.write("</Предложения>\n</ПакетПредложений>\n</КоммерческаяИнформация>\n")


def run_import(files: list[Path]) -> tuple[float, float, str]:
    """Run the import command in a process of its own: seconds, peak RSS in MB, its last line."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "exchange_1c_import", *map(str, files)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    if status != 0:
        sys.exit(f"bench: the import failed:\n{out}\n{err[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, out.strip().splitlines()[-1]


def clear_previous() -> None:
    """Remove what an earlier run of the bench left in this database, so the first import is a first."""
    import django

    django.setup()
    from catalog.models import Category, Product, Warehouse

    Product.objects.filter(external_id__startswith=PREFIX).delete()
    Warehouse.objects.filter(external_id__startswith=PREFIX).delete()
    for category in Category.objects.filter(external_id__startswith=PREFIX).order_by("-parent_id"):
        category.delete()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--goods", type=int, default=10_000)
    args = parser.parse_args(argv)
    require_postgres()
    configure_environment()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)
    clear_previous()
    rng = random.Random(24)
    with tempfile.TemporaryDirectory(prefix="shop-exchange-bench-") as tmp:
        files = [Path(tmp) / "import.xml", Path(tmp) / "offers.xml"]
        write_import(files[0], args.goods, rng)
        write_offers(files[1], args.goods, rng)
        sizes = ", ".join(f"{f.name} {f.stat().st_size / 2**20:.1f} MB" for f in files)
        log(f"{args.goods} goods × {len(KINDS)} properties, {WAREHOUSES} warehouses: {sizes}")
        rows = [("first import", *run_import(files)), ("again, unchanged", *run_import(files))]
    print(f"\n{'run':<18} {'seconds':>8} {'peak RSS, MB':>13}  result")
    for name, seconds, peak, result in rows:
        print(f"{name:<18} {seconds:>8.1f} {peak:>13.0f}  {result}")
    print("(peak RSS is that of the whole manage.py process, Django included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
