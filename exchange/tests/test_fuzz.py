"""Hostile and broken input: always `failure`, never a 500, never a read outside the exchange folder."""

import random

import pytest

from catalog.models import Product
from exchange.tests.conftest import data, lines

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>x</Ид><Наименование>&lol9;</Наименование></Товар>
</Товары></Каталог></КоммерческаяИнформация>""".encode()
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>x</Ид><Наименование>&secret;</Наименование></Товар>
</Товары></Каталог></КоммерческаяИнформация>""".encode()
PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<КоммерческаяИнформация/>""".encode()
UNDECLARED = """<?xml version="1.0"?><КоммерческаяИнформация><Каталог><Товары><Товар><Ид>x</Ид>
<Наименование>&nbsp;</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>""".encode()


def _mutations() -> list[bytes]:
    rng = random.Random(1204)
    base = data("cml204/import.xml")
    cases = [
        b"",
        b"not xml at all",
        b"\x00\x01\x02\xff\xfe",
        base[: len(base) // 2],
        base.replace(b'encoding="UTF-8"', b'encoding="x-unknown-1"'),
        base.replace(b'encoding="UTF-8"', b'encoding="windows-1251"')[:200] + "Ё".encode("utf-16"),
        b'<?xml version="1.0" encoding="UTF-8"?><a>' + "Привет".encode("cp1251") + b"</a>",
        b"<a>" * 50_000,
        b"<" + b"a" * 2_000_000 + b"/>",
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        PARAMETER_ENTITY,
        UNDECLARED,
    ]
    for _ in range(15):
        chunk = bytearray(base)
        for _ in range(5):
            position = rng.randrange(len(chunk))
            chunk[position] = rng.choice(b"<>&\"'/\x00\xff;")
        cases.append(bytes(chunk))
    return cases


@pytest.mark.parametrize("content", _mutations(), ids=lambda c: f"{len(c)}b")
def test_hostile_or_broken_xml_fails_and_never_errors(one_c, content):
    one_c.checkauth()
    one_c.call("catalog", "init")
    one_c.send("catalog", "import.xml", content or b" ")

    response = one_c.call("catalog", "import", filename="import.xml")

    assert response.status_code == 200
    answer = lines(response)
    assert answer[0] in ("failure", "success")
    assert "root:" not in response.content.decode("windows-1251")
    assert not Product.objects.filter(name__contains="lollol").exists()


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY])
def test_entity_expansion_and_external_entities_are_refused(one_c, content):
    one_c.checkauth()
    one_c.call("catalog", "init")
    one_c.send("catalog", "import.xml", content)

    answer = lines(one_c.call("catalog", "import", filename="import.xml"))

    assert answer[0] == "failure"
    assert "DTD" in answer[1]
    assert not Product.objects.exists()


@pytest.mark.parametrize("mode", ["file", "import", "query", "checkauth", ""])
@pytest.mark.parametrize("name", ["../../../../etc/passwd", "..\\..\\boot.ini", "%2e%2e/x.xml", "x" * 5000])
def test_odd_names_and_modes_never_error(one_c, mode, name):
    one_c.checkauth()

    kind = "sale" if mode == "query" else "catalog"
    response = one_c.call(kind, mode, b"<a/>" if mode == "file" else None, filename=name)

    assert response.status_code in (200, 401)
