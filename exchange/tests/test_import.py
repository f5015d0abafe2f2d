"""import.xml and offers.xml of the three shapes, driven through /1c/exchange/ as 1C sends them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.models import Attribute, Category, Product, ProductAttributeValue, ProductImage, Stock, Warehouse
from catalog.tests.factories import ProductFactory
from exchange.models import ExchangeEntry, ExchangeSession, PriceType, ProductPrice
from exchange.tests.conftest import data, lines, png, zipped

pytestmark = pytest.mark.django_db

CML204 = {"import.xml": data("cml204/import.xml"), "offers.xml": data("cml204/offers.xml")}
CML208 = {"import.xml": data("cml208/import.xml"), "offers.xml": data("cml208/offers.xml")}


@pytest.fixture
def spies(monkeypatch):
    """What the import told the caches: products_changed ids and catalog_changed calls."""
    from catalog import services

    told = {"products": [], "catalog": 0}
    real_products, real_catalog = services.products_changed, services.catalog_changed

    def products_changed(*, product_ids, before=()):
        told["products"].append(sorted(product_ids))
        real_products(product_ids=product_ids, before=before)

    def catalog_changed():
        told["catalog"] += 1
        real_catalog()

    monkeypatch.setattr("catalog.services.catalog_changed", catalog_changed)
    monkeypatch.setattr("catalog.services.products_changed", products_changed)
    return told


def test_the_204_unload_makes_categories_products_prices_stock_and_variants(one_c, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        one_c.unload(CML204)

    camera = Product.objects.get(external_id="good-cam-1")
    assert (camera.sku, camera.name, camera.barcode, camera.unit) == (
        "HK-1043",
        "IP-камера Hikvision DS-2CD1043G2-I",
        "4601234567893",
        "шт",
    )
    assert (camera.price, camera.is_active, camera.vat_rate, camera.brand.name) == (
        Decimal("12990.00"),
        True,
        "22",
        "Hikvision",
    )
    assert camera.category.name == "IP-камеры 1С"
    assert {"hk-1043", "hikvision", "белый"} <= set(camera.search_text.lower().split())
    assert camera.category.parent.name == "Видеонаблюдение 1С"
    assert camera.category.parent.parent.slug == "iz-1s"
    values = dict(camera.attribute_values.values_list("attribute__name", "value"))
    assert values == {"Разрешение, Мп": "4", "Цвет корпуса": "белый"}
    mount = Product.objects.get(external_id="good-mount")
    assert (mount.is_service, mount.vat_rate, mount.price, mount.is_active) == (True, "none", Decimal("2500"), True)
    prices = dict(ProductPrice.objects.filter(product=camera).values_list("price_type__name", "price"))
    assert prices == {"Розничная": Decimal("12990.00"), "Оптовая": Decimal("11500.50")}
    assert PriceType.objects.get(is_retail=True).name == "Розничная"
    warehouse = Warehouse.objects.get(external_id="wh-main")
    assert (warehouse.name, warehouse.is_active) == ("Основной склад 1С", False)
    assert Stock.objects.get(product=camera, warehouse=warehouse).quantity == 7
    white = Product.objects.get(external_id="good-bracket#char-white")
    assert (white.base_product.external_id, white.name, white.price, white.is_active, white.vat_rate) == (
        "good-bracket",
        "Кронштейн настенный (белый)",
        Decimal("990.00"),
        True,
        "10",
    )
    assert Stock.objects.get(product=white).quantity == 3
    session = ExchangeSession.objects.get()
    assert (session.created, session.errors) == (5, 1)  # the picture, sent in no zip here
    assert ExchangeEntry.objects.get(is_error=True).message == "Картинка «import_files/4a/cam1.png» не найдена в архиве"
    assert ExchangeEntry.objects.filter(message__contains="«Основной склад 1С» создан неактивным").exists()


def test_the_namespaced_208_unload_with_bom_reads_directory_values_and_three_warehouses(one_c):
    one_c.unload(CML208)

    motion = Product.objects.get(sku="AJ-MP")
    values = dict(motion.attribute_values.values_list("attribute__name", "value"))
    assert values == {"Питание": "Батарея CR123A", "Дальность, м": "12.5"}
    leak = Product.objects.get(sku="AJ-LP")
    assert leak.attribute_values.get().value == "12 В"
    assert motion.price == Decimal("4590.00") and motion.brand.name == "Ajax"
    stocks = dict(Stock.objects.filter(product=motion).values_list("warehouse__name", "quantity"))
    assert stocks == {"Склад Москва (1С)": 12, "Склад Санкт-Петербург (1С)": 5, "Склад Казань (1С)": 0}
    assert PriceType.objects.get(is_retail=True).name == "Розничная цена"


def test_an_import_answers_progress_in_steps_then_success(one_c, settings):
    settings.EXCHANGE_STEP_SECONDS = 0

    steps = one_c.unload(CML204)

    assert steps["import.xml"][-1] == "success"
    assert "progress" in steps["import.xml"]
    assert steps["import.xml"].count("progress") >= 2
    assert Product.objects.filter(external_id__isnull=False).count() == 5


def test_a_second_identical_import_writes_nothing_to_the_catalogue_and_retires_no_cache(one_c, spies):
    one_c.unload(CML204)
    spies["products"].clear()
    spies["catalog"] = 0

    with CaptureQueriesContext(connection) as queries:
        one_c.unload(CML204)

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and '"catalog_' in q["sql"]
    ]
    assert writes == []
    assert spies == {"products": [], "catalog": 0}


def test_a_changed_price_changes_that_product_only_and_retires_its_pages(
    one_c, spies, django_capture_on_commit_callbacks
):
    one_c.unload(CML204)
    camera = Product.objects.get(external_id="good-cam-1")
    before = {p.pk: p.updated_at for p in Product.objects.all()}
    spies["products"].clear()
    spies["catalog"] = 0
    offers = CML204["offers.xml"].replace(
        "<ЦенаЗаЕдиницу>12990</ЦенаЗаЕдиницу>".encode(), "<ЦенаЗаЕдиницу>11990</ЦенаЗаЕдиницу>".encode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        one_c.unload({"offers.xml": offers})

    camera.refresh_from_db()
    assert camera.price == Decimal("11990.00")
    changed = [pk for pk, at in before.items() if Product.objects.get(pk=pk).updated_at != at]
    assert changed == [camera.pk]
    assert {pk for told in spies["products"] for pk in told} == {camera.pk}
    assert spies["catalog"] == 0


def camera_pages_cached(one_c, settings) -> tuple[Client, list[str]]:
    """The sample exchange unloaded, then the camera's listing and page visited, so both sit in the page cache."""
    settings.PAGE_CACHE_SECONDS = 60
    one_c.unload(CML204)
    camera = Product.objects.get(external_id="good-cam-1")
    pages = [camera.category.get_absolute_url(), camera.get_absolute_url()]
    shopper = Client()
    for url in pages:
        assert "12\xa0990\xa0₽" in shopper.get(url).content.decode(), url  # now cached
    return shopper, pages


def test_a_price_from_1c_shows_on_the_listing_and_the_product_page_on_the_next_request(
    one_c, settings, django_capture_on_commit_callbacks
):
    shopper, pages = camera_pages_cached(one_c, settings)
    offers = CML204["offers.xml"].replace(
        "<ЦенаЗаЕдиницу>12990</ЦенаЗаЕдиницу>".encode(), "<ЦенаЗаЕдиницу>11990</ЦенаЗаЕдиницу>".encode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        one_c.unload({"offers.xml": offers})

    for url in pages:
        html = shopper.get(url).content.decode()
        assert "11\xa0990\xa0₽" in html, url
        assert "12\xa0990\xa0₽" not in html, url


def test_the_groups_from_1c_show_in_the_catalogue_on_the_next_request(
    one_c, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    shopper = Client()
    assert "Видеонаблюдение 1С" not in shopper.get("/catalog/").content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        one_c.unload({"import.xml": CML204["import.xml"]})

    html = shopper.get("/catalog/").content.decode()
    assert "Из 1С" in html
    assert "Видеонаблюдение 1С" in html


def test_a_full_unload_takes_a_missing_product_off_sale_and_keeps_it(one_c):
    one_c.unload(CML204)
    staff_own = ProductFactory(sku="STAFF-1")
    shortened = data("cml204/import.xml")
    start = shortened.index("<Товар>\n        <Ид>good-mount</Ид>".encode())
    end = shortened.index("</Товар>".encode(), start) + len("</Товар>".encode())
    shortened = shortened[:start] + shortened[end:]

    one_c.unload({"import.xml": shortened})

    mount = Product.objects.get(external_id="good-mount")
    assert mount.is_active is False
    assert Product.objects.get(external_id="good-cam-1").is_active is True
    assert Product.objects.get(external_id="good-bracket#char-white").is_active is True
    assert Product.objects.get(pk=staff_own.pk).is_active is True
    assert ExchangeSession.objects.order_by("pk").last().withdrawn == 1

    one_c.unload({"import.xml": data("cml204/import.xml")})
    assert Product.objects.get(external_id="good-mount").is_active is True


def test_an_unload_of_changes_only_takes_nothing_off_sale(one_c):
    one_c.unload(CML204)
    changes = data("cml204/import.xml").replace(
        'СодержитТолькоИзменения="false"'.encode(), 'СодержитТолькоИзменения="true"'.encode()
    )
    start = changes.index("<Товар>\n        <Ид>good-mount</Ид>".encode())
    end = changes.index("</Товар>".encode(), start) + len("</Товар>".encode())

    one_c.unload({"import.xml": changes[:start] + changes[end:]})

    assert Product.objects.get(external_id="good-mount").is_active is True


def test_a_product_is_matched_by_sku_and_a_category_staff_renamed_keeps_its_name(one_c):
    existing = ProductFactory(sku="HK-1043", name="Камера из CSV", price=Decimal("15000"))
    one_c.unload(CML204)
    existing.refresh_from_db()
    assert (existing.external_id, existing.name, existing.price) == (
        "good-cam-1",
        "IP-камера Hikvision DS-2CD1043G2-I",
        Decimal("12990.00"),
    )
    Category.objects.filter(external_id="grp-ipcam").update(name="Камеры IP")
    renamed = data("cml204/import.xml").replace("IP-камеры 1С".encode(), "IP камеры".encode())
    renamed = renamed.replace("Работы</".encode(), "Монтажные работы</".encode())

    one_c.unload({"import.xml": renamed})

    assert Category.objects.get(external_id="grp-ipcam").name == "Камеры IP"
    assert Category.objects.get(external_id="grp-works").name == "Монтажные работы"


def test_a_zip_with_pictures_gives_products_their_images_once(one_c):
    bundle = zipped({**CML204, "import_files/4a/cam1.png": png()})

    one_c.unload({"goods.zip": bundle})
    one_c.unload({"goods.zip": bundle})

    camera = Product.objects.get(external_id="good-cam-1")
    image = ProductImage.objects.get(product=camera)
    assert image.image.name.endswith(".png")
    assert image.image.storage.exists(image.image.name)
    assert image.thumbnail_name
    assert camera.price == Decimal("12990.00")


def test_a_file_in_two_halves_is_appended(one_c):
    one_c.checkauth()
    one_c.call("catalog", "init")
    one_c.send("catalog", "import.xml", CML204["import.xml"], parts=2)
    assert one_c.import_file("import.xml")[-1] == "success"
    assert Product.objects.filter(external_id__isnull=False).count() == 3


def test_a_windows_1251_catalogue_is_read_as_declared(one_c):
    text = data("cml204/import.xml").decode("utf-8").replace('encoding="UTF-8"', 'encoding="windows-1251"')

    one_c.unload({"import.xml": text.encode("windows-1251")})

    assert Product.objects.get(external_id="good-bracket").name == "Кронштейн настенный"


def test_broken_xml_fails_with_its_line_and_the_shop_keeps_serving(one_c, client):
    broken = data("cml204/import.xml").replace("</Артикул>".encode(), b"", 1)
    one_c.checkauth()
    one_c.call("catalog", "init")
    one_c.send("catalog", "import.xml", broken)

    answer = one_c.call("catalog", "import", filename="import.xml").content.decode("windows-1251").split("\n")

    assert answer[0] == "failure"
    assert "строка 87" in answer[1]
    assert ExchangeEntry.objects.filter(answer="failure", message__contains="строка 87").exists()
    assert client.get("/healthz/").status_code == 200


def test_the_property_values_from_1c_replace_only_those_of_1c(one_c):
    one_c.unload(CML208)
    motion = Product.objects.get(sku="AJ-MP")
    own = Attribute.objects.create(name="Гарантия производителя", slug="maker-warranty")
    ProductAttributeValue.objects.create(product=motion, attribute=own, value="2 года")
    fewer = data("cml208/import.xml").replace("<Значение>12,5</Значение>".encode(), "<Значение>15</Значение>".encode())

    one_c.unload({"import.xml": fewer})

    values = dict(motion.attribute_values.values_list("attribute__name", "value"))
    assert values == {"Питание": "Батарея CR123A", "Дальность, м": "15", "Гарантия производителя": "2 года"}


def test_the_split_files_of_newer_1c_are_read_and_the_full_unload_waits_for_deactivate(one_c):
    one_c.unload(CML208)
    offers = data("cml208/offers.xml").decode("utf-8-sig")
    prices = offers.replace("<Количество>12</Количество>", "<Количество>2</Количество>")
    prices = prices[: prices.index("<Остатки>")] + prices[prices.index("</Остатки>") + len("</Остатки>") :]
    prices = prices.replace("4 590,00", "4 490,00")
    rests = offers.replace("<Количество>12</Количество>", "<Количество>9</Количество>")
    rests = rests[: rests.index("<Цены>")] + rests[rests.index("</Цены>") + len("</Цены>") :]
    one_c.checkauth()
    one_c.call("catalog", "init")
    one_c.send("catalog", "import___1.xml", data("cml208/import.xml"))
    one_c.send("catalog", "prices___1.xml", prices.encode("utf-8"))
    one_c.send("catalog", "rests___1.xml", rests.encode("utf-8"))
    for name in ("import___1.xml", "prices___1.xml", "rests___1.xml"):
        assert one_c.import_file(name)[-1] == "success"

    motion = Product.objects.get(sku="AJ-MP")
    assert motion.price == Decimal("4490.00")
    assert Stock.objects.get(product=motion, warehouse__external_id__endswith="w1").quantity == 9
    assert lines(one_c.call("catalog", "deactivate"))[0] == "success"
    assert Product.objects.filter(is_active=True, external_id__isnull=False).count() == 2


def test_stock_below_what_orders_hold_keeps_the_reserved_units_and_says_so(one_c):
    one_c.unload(CML208)
    motion = Product.objects.get(sku="AJ-MP")
    stock = Stock.objects.get(product=motion, warehouse__external_id__endswith="w1")
    Stock.objects.filter(pk=stock.pk).update(reserved=10)
    lower = data("cml208/offers.xml").replace(
        "<Количество>12</Количество>".encode(), "<Количество>4</Количество>".encode()
    )

    one_c.unload({"offers.xml": lower})

    stock.refresh_from_db()
    assert (stock.quantity, stock.reserved) == (10, 10)
    note = ExchangeEntry.objects.get(is_error=True, message__contains="меньше резерва")
    assert note.message.endswith("остаток 4 меньше резерва 10 заказов — записан резерв")
    assert note.line == 35  # the <Предложение> of the good


def test_a_good_marked_for_deletion_goes_off_sale_and_is_kept(one_c):
    one_c.unload(CML204)
    marked = data("cml204/import.xml").replace(
        "<Ид>good-mount</Ид>".encode(), "<Ид>good-mount</Ид><ПометкаУдаления>true</ПометкаУдаления>".encode()
    )

    one_c.unload({"import.xml": marked})

    assert Product.objects.get(external_id="good-mount").is_active is False
    assert ExchangeSession.objects.order_by("pk").last().withdrawn == 1
