"""The validator finds what a marketplace's robot would refuse."""

import pytest

from feeds.validation import validate_yml

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<yml_catalog date="2026-12-07T13:30+03:00"><shop>'
SHOP = "<name>Охрана Плюс</name><company>ООО</company><url>https://ohrana-plus.ru/</url>"
CURRENCIES = '<currencies><currency id="RUR" rate="1"/></currencies>'
CATEGORIES = '<categories><category id="1">Видео</category><category id="2" parentId="1">IP</category></categories>'
OFFER = (
    '<offer id="{id}" available="true"><url>https://ohrana-plus.ru/product/a/</url><price>100</price>'
    "<currencyId>RUR</currencyId><categoryId>2</categoryId><name>Камера</name>{extra}</offer>"
)


def yml(tmp_path, *, offers=None, shop=SHOP, currencies=CURRENCIES, categories=CATEGORIES, date=None) -> str:
    head = HEAD if date is None else HEAD.replace("2026-12-07T13:30+03:00", date)
    offers = [OFFER.format(id=1, extra="")] if offers is None else offers
    text = f"{head}{shop}{currencies}{categories}<offers>{''.join(offers)}</offers></shop></yml_catalog>"
    path = tmp_path / "yml.xml"
    path.write_text(text, encoding="utf-8")
    return validate_yml(path)


def test_a_minimal_feed_is_valid(tmp_path):
    report = yml(tmp_path)

    assert report.errors == []
    assert (report.offers, report.categories) == (1, 2)


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ("<oldprice>100</oldprice>", "oldprice is not above the price"),
        ("<barcode>4006381333932</barcode>", "is not a valid EAN-8, UPC-A or EAN-13"),
        ("<picture>/media/a.jpg</picture>", "a picture url is not absolute"),
        ("<picture>https://x.ru/a.jpg</picture>" * 11, "more than 10 pictures"),
        ("<description>" + "я" * 3001 + "</description>", "description longer than 3000"),
        ('<param name="">4</param>', "a param without a name or a value"),
        ('<param name="Разрешение" unit="">4</param>', "a param with an empty unit"),
        ("<delivery>yes</delivery>", "delivery is not true or false"),
        ("<categoryId>7</categoryId>", "categoryId is not declared above"),
    ],
)
def test_an_offer_breaking_a_rule_is_reported(tmp_path, extra, error):
    report = yml(tmp_path, offers=[OFFER.format(id=1, extra=extra)])

    assert len(report.errors) == 1
    assert error in report.errors[0]


def test_a_repeated_offer_id_is_reported(tmp_path):
    report = yml(tmp_path, offers=[OFFER.format(id=5, extra=""), OFFER.format(id=5, extra="")])

    assert report.errors == ["offer '5': the id repeats"]


def test_a_category_used_before_its_parent_is_declared_is_reported(tmp_path):
    categories = '<categories><category id="2" parentId="1">IP</category><category id="1">Видео</category></categories>'

    assert yml(tmp_path, categories=categories).errors == ["category 2: parentId 1 is not declared above"]


def test_a_control_character_is_reported(tmp_path):
    report = yml(tmp_path, offers=[OFFER.format(id=1, extra="<vendor>Hik\u0085vision</vendor>")])

    assert report.errors == ["line 2: a control character"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"shop": "<name>Охрана Плюс</name><url>https://ohrana-plus.ru/</url>"}, "shop: no company"),
        ({"currencies": '<currencies><currency id="USD" rate="1"/></currencies>'}, "currencies: no RUR"),
        ({"date": "вчера"}, "is not a date"),
    ],
)
def test_a_broken_header_is_reported(tmp_path, kwargs, error):
    report = yml(tmp_path, **kwargs)

    assert any(error in e for e in report.errors), report.errors


def test_broken_xml_is_reported(tmp_path):
    path = tmp_path / "yml.xml"
    path.write_text("<yml_catalog><shop>", encoding="utf-8")

    assert any(e.startswith("not well-formed XML") for e in validate_yml(path).errors)
