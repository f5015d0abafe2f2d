"""The rules of the YML format, on plain rows: no database."""

import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from feeds.yml import (
    DESCRIPTION_LIMIT,
    FeedCategory,
    Offer,
    Shop,
    clean_line,
    cut_description,
    format_price,
    gtin_valid,
    offer_xml,
    write_yml,
)

DATE = datetime.datetime(2026, 12, 7, 13, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=3)))
SHOP = Shop(name="Охрана Плюс", company="ООО «Охрана Плюс»", url="https://ohrana-plus.ru/")


def offer(**fields) -> Offer:
    values = {
        "id": 1,
        "available": True,
        "url": "https://ohrana-plus.ru/product/cam/",
        "price": Decimal("1990.00"),
        "category_id": 10,
        "name": "Камера",
    }
    return Offer(**{**values, **fields})


def element(xml: str) -> ET.Element:
    return ET.fromstring(xml)  # noqa: S314 - text this module wrote


VIDEO = FeedCategory(10, "Видео", None)


def feed(offers, categories=(VIDEO,)) -> ET.Element:
    out = io.StringIO()
    write_yml(out, date=DATE, shop=SHOP, categories=categories, offers=offers)
    return ET.fromstring(out.getvalue().encode())  # noqa: S314 - text this module wrote


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("4006381333931", True),  # EAN-13
        ("4006381333932", False),  # wrong check digit
        ("96385074", True),  # EAN-8
        ("96385075", False),
        ("036000291452", True),  # UPC-A
        ("036000291453", False),
        ("4006381333", False),  # ten digits
        ("40063813339311", False),  # fourteen
        ("400638133393a", False),
        ("٤٠٠٦٣٨١٣٣٣٩٣١", False),  # Arabic-Indic digits are digits to Python, not to a scanner
        ("", False),
    ],
)
def test_gtin_valid_checks_length_and_check_digit(code, valid):
    assert gtin_valid(code) is valid


def test_offer_writes_only_valid_barcodes_once():
    xml = element(offer_xml(offer(barcodes=["4006381333931", "4006381333932", "123", "4006381333931", "96385074"])))

    assert [b.text for b in xml.findall("barcode")] == ["4006381333931", "96385074"]


@pytest.mark.parametrize(
    ("old_price", "written"),
    [(Decimal("2490.00"), "2490"), (Decimal("1990.00"), None), (Decimal("1500.00"), None), (None, None)],
)
def test_oldprice_is_written_only_when_above_the_price(old_price, written):
    xml = element(offer_xml(offer(old_price=old_price)))

    assert xml.findtext("oldprice") == written
    assert xml.findtext("price") == "1990"


def test_price_keeps_kopecks_only_when_there_are_any():
    assert format_price(Decimal("1990.00")) == "1990"
    assert format_price(Decimal("1990.5")) == "1990.50"


def test_control_characters_are_stripped_from_every_field():
    dirty = offer(
        name="Камера\x00 DS-2CD\x0b2043",
        vendor="Hik\x1fvision",
        description="Строка 1\nСтрока 2\x08\x7f\x85",
        params=[("Разреш\x01ение", "М\x02п", "4\x03")],
    )

    text = offer_xml(dirty)
    xml = element(text)

    assert not any((ord(c) < 0x20 and c not in "\n") or 0x7F <= ord(c) < 0xA0 for c in text)
    assert xml.findtext("name") == "Камера DS-2CD2043"
    assert xml.findtext("vendor") == "Hikvision"
    assert xml.findtext("description") == "Строка 1\nСтрока 2"
    assert xml.find("param").attrib == {"name": "Разрешение", "unit": "Мп"}
    assert xml.findtext("param") == "4"


def test_markup_in_text_and_attributes_is_escaped():
    xml = element(offer_xml(offer(name='Кабель "UTP" <5e> & RJ-45', params=[('Тип "A" & <B>', "", "x<y")])))

    assert xml.findtext("name") == 'Кабель "UTP" <5e> & RJ-45'
    assert xml.find("param").get("name") == 'Тип "A" & <B>'
    assert "unit" not in xml.find("param").attrib


def test_description_is_cut_at_the_limit_in_cdata_and_survives_a_cdata_end_inside():
    text = "Начало ]]> середина " + "слово " * 1000

    written = offer_xml(offer(description=text))
    description = element(written).findtext("description")

    assert "<![CDATA[" in written
    assert len(description) <= DESCRIPTION_LIMIT
    assert description.startswith("Начало ]]> середина слово")
    assert description.endswith("…")


def test_a_short_description_is_kept_whole():
    assert cut_description("  Коротко.  ") == "Коротко."
    assert len(cut_description("я" * 5000)) == DESCRIPTION_LIMIT


def test_at_most_ten_pictures():
    pictures = [f"https://ohrana-plus.ru/media/{n}.jpg" for n in range(12)]

    assert len(element(offer_xml(offer(pictures=pictures))).findall("picture")) == 10


def test_line_fields_fold_line_breaks():
    assert clean_line(" Камера\n\tуличная\r\n") == "Камера уличная"


def test_write_yml_declares_shop_currency_and_categories_parents_first():
    root = feed([offer()], categories=[VIDEO, FeedCategory(11, "IP-камеры", 10)])

    assert root.tag == "yml_catalog"
    assert root.get("date") == "2026-12-07T13:30+03:00"
    shop = root.find("shop")
    assert [shop.findtext(n) for n in ("name", "company", "url")] == [SHOP.name, SHOP.company, SHOP.url]
    assert shop.find("currencies/currency").attrib == {"id": "RUR", "rate": "1"}
    assert [(c.get("id"), c.get("parentId"), c.text) for c in shop.iter("category")] == [
        ("10", None, "Видео"),
        ("11", "10", "IP-камеры"),
    ]


def test_write_yml_skips_a_category_whose_parent_is_not_declared_and_its_offers():
    root = feed(
        [offer(id=1, category_id=11), offer(id=2, category_id=10)],
        categories=[VIDEO, FeedCategory(11, "Сироты", 99)],
    )

    assert [c.get("id") for c in root.iter("category")] == ["10"]
    assert [o.get("id") for o in root.iter("offer")] == ["2"]


def test_write_yml_never_repeats_an_offer_id():
    root = feed([offer(id=1, name="Первая"), offer(id=1, name="Вторая"), offer(id=2)])

    assert [o.get("id") for o in root.iter("offer")] == ["1", "2"]
    assert root.find("shop/offers/offer").findtext("name") == "Первая"
