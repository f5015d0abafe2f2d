import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from catalog.importing import (
    ImportRow,
    RowError,
    csv_read,
    parse_decimal,
    products_import,
    slugify_ru,
)
from catalog.models import Attribute, Brand, Category, Product, Stock
from catalog.tests.factories import (
    AttributeFactory,
    BrandFactory,
    CategoryFactory,
    ProductAttributeValueFactory,
    ProductFactory,
    StockFactory,
    WarehouseFactory,
)
from core.vat import VatRate

pytestmark = pytest.mark.django_db

HEADER = "sku,name,category,brand,price,old_price,vat_rate,warranty_months,weight_kg,is_active"


@pytest.fixture
def cameras():
    return CategoryFactory(name="IP-камеры", slug="ip-kamery", parent=Category.objects.get(slug="videonablyudenie"))


@pytest.fixture
def warehouses():
    return WarehouseFactory(code="msk", name="Склад Москва"), WarehouseFactory(code="spb", name="Склад Петербург")


@pytest.fixture
def resolution():
    return AttributeFactory(name="Разрешение", slug="resolution", unit="Мп")


def run_import(tmp_path, text: str, *args: str, encoding="utf-8") -> tuple[int, str, str]:
    """Run the command on a file with this text; return the exit status, stdout and stderr."""
    path = tmp_path / "products.csv"
    path.write_bytes(text.encode(encoding))
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command("import_products", str(path), *args, stdout=out, stderr=err, verbosity=0)
    except CommandError as exc:
        status = exc.returncode
        err.write(str(exc))
    return status, out.getvalue(), err.getvalue()


def test_import_products_creates_products_with_slug_brand_and_fields(tmp_path, cameras):
    text = (
        f"{HEADER}\n"
        "HW-1,IP-камера HiWatch DS-I200 2 Мп,ip-kamery,HiWatch,4290,4790,22,36,0.45,да\n"
        "SRV-1,Монтаж видеокамеры,ip-kamery,,2500,,none,,,1\n"
    )

    status, out, _err = run_import(tmp_path, text)

    assert status == 0
    assert "Создано: 2, обновлено: 0, ошибок: 0." in out
    camera = Product.objects.get(sku="HW-1")
    assert camera.slug == "ip-kamera-hiwatch-ds-i200-2-mp"
    assert camera.brand == Brand.objects.get(name="HiWatch")
    assert (camera.price, camera.old_price, camera.vat_rate) == (Decimal("4290"), Decimal("4790"), VatRate.VAT_22)
    assert (camera.warranty_months, camera.weight_kg, camera.is_active) == (36, Decimal("0.450"), True)
    service = Product.objects.get(sku="SRV-1")
    assert (service.brand, service.vat_rate, service.warranty_months) == (None, VatRate.NO_VAT, 12)
    assert "hiwatch" in camera.search_text


def test_import_products_updates_by_sku_and_keeps_absent_columns_and_empty_required_cells(tmp_path, cameras):
    product = ProductFactory(sku="HW-1", name="Старое имя", slug="staroe", description="Описание", price=100)

    status, out, _err = run_import(tmp_path, "sku;name;category;price;is_active\nHW-1;;;5 990,50;нет\n")

    assert status == 0
    assert "Создано: 0, обновлено: 1, ошибок: 0." in out
    product.refresh_from_db()
    assert (product.price, product.is_active) == (Decimal("5990.50"), False)
    assert (product.name, product.slug, product.description) == ("Старое имя", "staroe", "Описание")
    assert Product.objects.count() == 1


def test_import_products_reports_bad_rows_by_line_and_imports_good_ones(tmp_path, cameras):
    text = (
        "sku,name,category,price\n"
        "A-1,Камера А,ip-kamery,1000\n"
        "A-2,Камера Б,ip-kamery,0\n"
        "A-3,Камера В,nope,1000\n"
        "A-4,Камера Г,ip-kamery,1 500\n"
    )

    status, out, err = run_import(tmp_path, text)

    assert status == 1
    assert "строка 3: цена должна быть больше нуля" in err
    assert "строка 4: категория «nope» не найдена" in err
    assert "Создано: 2, обновлено: 0, ошибок: 2." in out
    assert set(Product.objects.values_list("sku", flat=True)) == {"A-1", "A-4"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",Без артикула,ip-kamery,100,", "не указан артикул (sku)"),
        ("B-1,,ip-kamery,100,", "название: это поле не может быть пустым"),
        ("B-1,Камера,,100,", "не указана категория"),
        ("B-1,Камера,ip-kamery,,", "не указана цена"),
        ("B-1,Камера,ip-kamery,дорого,", "цена: «дорого» — не число"),
        ("B-1,Камера,ip-kamery,-5,", "цена должна быть больше нуля"),
        ("B-1,Камера,ip-kamery,100,90", "старая цена должна быть выше текущей"),
        ("B-1,Камера,ip-kamery,100,,20", "ставка НДС «20» не поддерживается: 22, 10, 0 или none"),
        ("B-1,Камера,ip-kamery,100,,,1.5", "гарантия: нужно целое число не меньше нуля, а не «1.5»"),
        ("B-1,Камера,ip-kamery,100.123,", "цена: убедитесь, что вы ввели не более 2 цифр после запятой"),
    ],
)
def test_import_products_explains_invalid_row_in_russian(tmp_path, cameras, row, message):
    status, _out, err = run_import(tmp_path, f"sku,name,category,price,old_price,vat_rate,warranty_months\n{row}\n")

    assert status == 1
    assert f"строка 2: {message}" in err
    assert not Product.objects.exists()


def test_import_products_dry_run_validates_and_writes_nothing(tmp_path, cameras, warehouses):
    existing = ProductFactory(sku="OLD-1", price=100)
    text = (
        "sku,name,category,brand,price,stock_msk\n"
        "NEW-1,Камера,ip-kamery,НовыйБренд,990,5\n"
        "OLD-1,,,,200,7\n"
        "BAD,Плохая,ip-kamery,,0,\n"
    )

    status, out, err = run_import(tmp_path, text, "--dry-run")

    assert status == 1
    assert "Создано: 1, обновлено: 1, ошибок: 1." in out
    assert "Пробный запуск: ничего не записано." in out
    assert "строка 4: цена должна быть больше нуля" in err
    assert not Product.objects.filter(sku="NEW-1").exists()
    assert not Brand.objects.filter(name="НовыйБренд").exists()
    existing.refresh_from_db()
    assert existing.price == Decimal("100")
    assert not Stock.objects.exists()


def test_import_products_reads_bom_semicolons_and_decimal_comma(tmp_path, cameras):
    text = (
        "\ufeffSKU;Name;Category;Price;Old_price;Weight_kg\nC-1;Камера «Дом»;ip-kamery;12 990,00;13\u00a0490,5;0,35\n"
    )

    status, _out, _err = run_import(tmp_path, text)

    assert status == 0
    product = Product.objects.get(sku="C-1")
    assert (product.name, product.price) == ("Камера «Дом»", Decimal("12990.00"))
    assert (product.old_price, product.weight_kg) == (Decimal("13490.50"), Decimal("0.350"))


def test_import_products_sets_stock_per_warehouse_and_attributes(tmp_path, cameras, warehouses, resolution):
    _moscow, petersburg = warehouses
    product = ProductFactory(sku="S-1")
    StockFactory(product=product, warehouse=petersburg, quantity=9)
    power = AttributeFactory(slug="power")
    ProductAttributeValueFactory(product=product, attribute=power, value="PoE")

    status, _out, _err = run_import(tmp_path, "sku,stock_msk,stock_spb,attr_resolution,attr_power\nS-1,12,,4,\n")

    assert status == 0
    assert dict(product.stocks.values_list("warehouse__code", "quantity")) == {"msk": 12, "spb": 9}
    assert dict(product.attribute_values.values_list("attribute__slug", "value")) == {"resolution": "4"}
    assert Attribute.objects.filter(slug="power").exists()


def test_import_products_bad_row_leaves_product_untouched(tmp_path, cameras, warehouses):
    moscow, _ = warehouses
    product = ProductFactory(sku="R-1", price=100)
    StockFactory(product=product, warehouse=moscow, quantity=5, reserved=3)

    status, _out, err = run_import(tmp_path, "sku,price,stock_msk\nR-1,200,2\n")

    assert status == 1
    assert "строка 2: остаток msk: 2 меньше резерва 3" in err
    product.refresh_from_db()
    assert product.price == Decimal("100")
    assert product.stocks.get().quantity == 5


def test_import_products_rejects_header_with_unknown_columns(tmp_path, warehouses):
    status, _out, err = run_import(tmp_path, "sku,prise,stock_kzn,attr_nope\nA-1,1,1,1\n")

    assert status == 1
    assert "неизвестный столбец «prise»" in err
    assert "склада «kzn» нет (столбец stock_kzn)" in err
    assert "характеристики «nope» нет (столбец attr_nope)" in err


def test_import_products_rejects_file_not_in_utf8(tmp_path):
    status, _out, err = run_import(tmp_path, "sku,name\nA-1,Камера\n", encoding="cp1251")

    assert status == 1
    assert "не в кодировке UTF-8" in err


def test_import_products_reports_sku_repeated_in_file(tmp_path, cameras):
    text = "sku,name,category,price\nD-1,Камера,ip-kamery,100\nD-1,Камера 2,ip-kamery,200\n"

    status, _out, err = run_import(tmp_path, text)

    assert status == 1
    assert "строка 3: артикул D-1 уже был в строке 2" in err
    assert Product.objects.get(sku="D-1").price == Decimal("100")


def test_import_products_gives_same_names_distinct_slugs(tmp_path, cameras):
    BrandFactory(name="Hikvision", slug="hikvision")
    text = (
        "sku,name,category,brand,price\n"
        "E-1,Камера Ёлка,ip-kamery,hikvision,100\n"
        "E-2,Камера Ёлка,ip-kamery,HIKVISION,100\n"
    )

    status, _out, _err = run_import(tmp_path, text)

    assert status == 0
    assert sorted(Product.objects.values_list("slug", flat=True)) == ["kamera-elka", "kamera-elka-e-2"]
    assert Brand.objects.filter(name__iexact="hikvision").count() == 1


def test_csv_read_numbers_rows_by_file_line_across_multiline_cells():
    data = 'sku,description\nA-1,"две\nстроки"\n\nA-2,одна\n'.encode()

    parsed = csv_read(data=data)

    assert [(row.line, row.values["sku"]) for row in parsed.rows] == [(2, "A-1"), (5, "A-2")]
    assert parsed.rows[0].values["description"] == "две\nстроки"


def test_a_price_imported_from_csv_shows_on_the_listing_and_the_product_page_on_the_next_request(
    settings, cameras, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    camera = ProductFactory(sku="CAM-1", name="Камера Альфа", slug="kamera-alfa", category=cameras, price=1000)
    StockFactory(product=camera, quantity=5)
    pages = ["/catalog/ip-kamery/", camera.get_absolute_url()]
    shopper = Client()
    for url in pages:
        assert "1\xa0000\xa0₽" in shopper.get(url).content.decode(), url  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        report = products_import(rows=csv_read(data=b"sku,price\nCAM-1,1500\n").rows)

    assert (report.updated, report.errors) == (1, [])
    for url in pages:
        html = shopper.get(url).content.decode()
        assert "1\xa0500\xa0₽" in html, url
        assert "1\xa0000\xa0₽" not in html, url


def test_products_import_service_reports_row_errors_without_stopping(cameras):
    rows = [
        ImportRow(line=2, values={"sku": "F-1", "name": "Камера", "category": "ip-kamery", "price": "0"}),
        ImportRow(line=3, values={"sku": "F-2", "name": "Камера", "category": "ip-kamery", "price": "10"}),
    ]

    report = products_import(rows=rows, dry_run=False)

    assert (report.created, report.updated) == (1, 0)
    assert report.errors == [RowError(2, "цена должна быть больше нуля")]
    assert str(report.errors[0]) == "строка 2: цена должна быть больше нуля"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 990,00", Decimal("12990.00")),
        ("12990.00", Decimal("12990.00")),
        ("12\u00a0990", Decimal("12990")),
        ("12.990,50", Decimal("12990.50")),
        ("12,990.50", Decimal("12990.50")),
        ("990 ₽", Decimal("990")),
        ("0,5", Decimal("0.5")),
    ],
)
def test_parse_decimal_reads_russian_and_english_notation(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "NaN", "Infinity"])
def test_parse_decimal_rejects_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Охранная сигнализация", "okhrannaya-signalizatsiya"),
        ("Умный дом", "umnyj-dom"),
        ("Щит ЦУП «Ёж»", "shchit-tsup-ezh"),
        ("Hikvision DS-2CD2143G2-IS 4 Мп", "hikvision-ds-2cd2143g2-is-4-mp"),
    ],
)
def test_slugify_ru_transliterates_cyrillic(text, slug):
    assert slugify_ru(text) == slug
