"""Every write path reaches the caches through catalog.changes: a queryset update, a bulk update, a stock
counter crossing a status boundary; the guard names a write that goes round it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from catalog import changes
from catalog.models import Brand, Category, Product, Stock
from catalog.services import StockRequest, product_refresh_search, products_delete, stock_release, stock_reserve
from catalog.tests.factories import KitComponentFactory, ProductFactory, StockFactory

pytestmark = pytest.mark.django_db

CAMERAS = "/catalog/ip-kamery/"


def rub(amount: str) -> str:
    return amount.replace(" ", "\xa0") + "\xa0₽"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def camera(cctv):
    product = ProductFactory(name="Камера Альфа", slug="kamera-alfa", category=cctv, price=Decimal("1000"))
    StockFactory(product=product, quantity=20)
    product_refresh_search(product_ids=[product.pk])
    return product


def pages(product) -> list[str]:
    """The listing, the parent listing, the product page and search: each shows the product's price."""
    return [CAMERAS, "/catalog/videonablyudenie/", product.get_absolute_url(), "/search/?q=Альфа"]


def read_all(client, product) -> list[str]:
    answers = [client.get(url) for url in pages(product)]
    assert [a.status_code for a in answers] == [200] * len(answers)
    return [a.content.decode() for a in answers]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda p: Product.objects.filter(pk=p.pk).update(price=Decimal("1500")), id="queryset-update"),
        pytest.param(
            lambda p: Product.objects.bulk_update([Product(pk=p.pk, price=Decimal("1500"))], ["price"]),
            id="bulk-update",
        ),
        pytest.param(lambda p: p.category.products.filter(pk=p.pk).update(price=Decimal("1500")), id="related-update"),
    ],
)
def test_a_price_written_round_save_shows_on_every_page_at_once(
    client, camera, write, django_capture_on_commit_callbacks
):
    assert all(rub("1 000") in html for html in read_all(client, camera))

    with django_capture_on_commit_callbacks(execute=True):
        write(camera)

    for url, html in zip(pages(camera), read_all(client, camera), strict=True):
        assert rub("1 500") in html, url
        assert rub("1 000") not in html, url


def test_a_listing_never_cached_before_shows_the_new_price_too(client, camera, django_capture_on_commit_callbacks):
    client.get(CAMERAS)  # the card is cached

    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=camera.pk).update(price=Decimal("1500"))

    html = client.get(CAMERAS + "?sort=price").content.decode()
    assert rub("1 500") in html


def test_a_category_renamed_by_a_queryset_update_is_renamed_in_the_menu(
    client, camera, django_capture_on_commit_callbacks
):
    client.get(camera.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        Category.objects.filter(slug="ip-kamery").update(name="IP-камеры видеонаблюдения")

    assert "IP-камеры видеонаблюдения" in client.get(camera.get_absolute_url()).content.decode()


def test_a_brand_saved_retires_the_cards_that_name_it(client, camera, django_capture_on_commit_callbacks):
    brand = Brand.objects.create(name="Альфа-Вижн", slug="alfa-vision")
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=camera.pk).update(brand=brand)
    client.get(CAMERAS)

    with django_capture_on_commit_callbacks(execute=True):
        brand.name = "Бета-Вижн"
        brand.save()

    assert "Бета-Вижн" in client.get(CAMERAS).content.decode()


def reserve(product, units: int, reference: str):
    stock = Stock.objects.get(product=product)
    return stock_reserve(
        requests=[StockRequest(product_id=product.pk, name=product.name, quantity=units)],
        warehouse_ids=[stock.warehouse_id],
        reference=reference,
        expires_at=None,
    )


def test_selling_the_last_unit_says_out_of_stock_on_the_next_request(
    client, camera, django_capture_on_commit_callbacks
):
    Stock.objects.filter(product=camera).update(quantity=1)
    for html in read_all(client, camera):
        assert "Нет в наличии" not in html

    with django_capture_on_commit_callbacks(execute=True):
        reserve(camera, 1, "2026-000001")

    for url, html in zip(pages(camera)[:3], read_all(client, camera)[:3], strict=True):
        assert "Нет в наличии" in html, url


def test_a_released_last_unit_is_back_in_stock_on_the_next_request(client, camera, django_capture_on_commit_callbacks):
    Stock.objects.filter(product=camera).update(quantity=1)
    with django_capture_on_commit_callbacks(execute=True):
        reserve(camera, 1, "2026-000001")
    assert "Нет в наличии" in client.get(camera.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        stock_release(reference="2026-000001")

    html = client.get(camera.get_absolute_url()).content.decode()
    assert "Нет в наличии" not in html
    assert "Добавить в корзину" in html


def test_a_sale_far_from_any_boundary_keeps_the_pages_cached(
    client, camera, django_capture_on_commit_callbacks, django_assert_num_queries
):
    read_all(client, camera)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reserve(camera, 1, "2026-000001")  # 20 → 19 units: «В наличии» before and after

    assert callbacks == []
    with django_assert_num_queries(0):
        assert client.get(camera.get_absolute_url()).status_code == 200


def test_a_stock_fix_by_queryset_update_that_empties_a_warehouse_retires_the_product(
    client, camera, django_capture_on_commit_callbacks
):
    read_all(client, camera)

    with django_capture_on_commit_callbacks(execute=True):
        Stock.objects.filter(product=camera).update(quantity=0)

    assert "Нет в наличии" in client.get(camera.get_absolute_url()).content.decode()


def test_the_guard_names_a_raw_write_and_lets_a_noted_one_pass():
    raw = 'UPDATE "catalog_product" SET "price" = 1 WHERE "id" = 1'

    assert changes.unsanctioned_table(raw) == "catalog_product"
    assert changes.unsanctioned_table('INSERT INTO "orders_order" ("id") VALUES (1)') is None
    assert changes.unsanctioned_table('SELECT * FROM "catalog_product"') is None
    with changes.sanctioned():
        assert changes.unsanctioned_table(raw) is None


@pytest.mark.catalog_raw_writes
def test_a_raw_sql_write_is_caught_by_the_suites_guard(camera):
    caught = []

    def guard(execute, sql, params, many, context):
        if table := changes.unsanctioned_table(sql):
            caught.append(table)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(guard):
        with connection.cursor() as cursor:
            cursor.execute('UPDATE "catalog_product" SET "price" = %s WHERE "id" = %s', [Decimal("1500"), camera.pk])
        Product.objects.filter(pk=camera.pk).update(price=Decimal("1600"))

    assert caught == ["catalog_product"]


def test_the_command_after_a_raw_fix_retires_every_page(client, camera):
    from django.core.management import call_command

    client.get(camera.get_absolute_url())
    # A raw fix as staff would make it (the guard told it is known), retired by the command below.
    with connection.cursor() as cursor, changes.sanctioned():
        cursor.execute('UPDATE "catalog_product" SET "price" = %s WHERE "id" = %s', [Decimal("1500"), camera.pk])

    call_command("catalog_retire")

    assert rub("1 500") in client.get(camera.get_absolute_url()).content.decode()


def test_an_admin_save_retires_the_product_once(
    camera, django_user_model, monkeypatch, django_capture_on_commit_callbacks
):
    from catalog import services
    from catalog.tests.test_admin import inline, product_form

    told, traced = [], []
    real_changed, real_traces = services.products_changed, services.product_traces

    def products_changed(*, product_ids, before=()):
        told.append(sorted(product_ids))
        real_changed(product_ids=product_ids, before=before)

    def product_traces(*, product_ids):
        traced.append(sorted(product_ids))
        return real_traces(product_ids=product_ids)

    monkeypatch.setattr(services, "products_changed", products_changed)
    monkeypatch.setattr(services, "product_traces", product_traces)
    staff = Client()
    staff.force_login(django_user_model.objects.create_superuser(email="admin@example.com", password="x-pass-123"))
    form = product_form(
        name=camera.name,
        slug=camera.slug,
        sku=camera.sku,
        price="1500",
        category=str(camera.category_id),
        **inline("images", []),
        **inline("stocks", []),
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/admin/catalog/product/{camera.pk}/change/", form)

    assert response.status_code == 302
    assert told == [[camera.pk]]
    assert traced == [[camera.pk], [camera.pk]]  # where it was shown before the edit, and where it is after


def test_a_product_taken_off_sale_by_a_queryset_update_leaves_its_neighbours_pages(
    client, camera, cctv, django_capture_on_commit_callbacks
):
    neighbour = ProductFactory(name="Камера Дельта", category=cctv, popularity=0)
    StockFactory(product=neighbour)
    assert "Камера Альфа" in client.get(neighbour.get_absolute_url()).content.decode()  # among «Похожие товары»

    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=camera.pk).update(is_active=False)

    assert "Камера Альфа" not in client.get(neighbour.get_absolute_url()).content.decode()


def test_deleting_a_component_takes_its_kit_off_sale_on_the_kits_page(
    client, camera, django_capture_on_commit_callbacks
):
    kit = ProductFactory(name="Комплект Омега", category=Category.objects.get(slug="gotovye-komplekty"))
    StockFactory(product=kit)
    KitComponentFactory(kit=kit, product=camera)
    assert client.get(kit.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        products_delete(product_ids=[camera.pk])

    assert client.get(kit.get_absolute_url()).status_code == 404
