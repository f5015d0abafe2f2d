"""An edit retires the cached pages and reads that show what it changed, and nothing else."""

from decimal import Decimal

import pytest
from django.test import Client

from catalog import facets
from catalog.models import Category, Product, Stock
from catalog.services import product_traces, products_changed, products_set_active
from catalog.tests.factories import KitComponentFactory, ProductFactory, StockFactory, WarehouseFactory
from catalog.tests.test_admin import inline, product_form

pytestmark = pytest.mark.django_db

CCTV = "/catalog/videonablyudenie/"
CAMERAS = "/catalog/ip-kamery/"
ALARMS = "/catalog/okhrannaya-signalizatsiya/"


def rub(amount: str) -> str:
    return amount.replace(" ", "\xa0") + "\xa0₽"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def shelf(cctv):
    """Camera A among the IP cameras and sensor B among the alarms: two products that share no page."""
    a = ProductFactory(name="Камера Альфа", slug="kamera-alfa", category=cctv, price=Decimal("1000"))
    b = ProductFactory(
        name="Датчик Бета",
        slug="datchik-beta",
        category=Category.objects.get(slug="okhrannaya-signalizatsiya"),
        price=Decimal("700"),
    )
    for product in (a, b):
        StockFactory(product=product, quantity=20)
    return a, b


def edit_price(product: Product, price: str) -> None:
    product.price = Decimal(price)
    product.save()
    products_changed(product_ids=[product.pk])


def test_product_edit_retires_its_page_and_listings_and_leaves_an_unrelated_page_cached(
    client, shelf, django_assert_num_queries
):
    a, b = shelf
    for url in (a.get_absolute_url(), b.get_absolute_url(), CCTV, CAMERAS, ALARMS):
        assert client.get(url).status_code == 200

    edit_price(a, "1500")

    with django_assert_num_queries(0):  # B's page and B's listing are still served from the cache
        assert rub("700") in client.get(b.get_absolute_url()).content.decode()
        assert rub("700") in client.get(ALARMS).content.decode()
    assert rub("1 500") in client.get(a.get_absolute_url()).content.decode()
    for listing in (CAMERAS, CCTV):  # the category and its parent both list A
        html = client.get(listing).content.decode()
        assert rub("1 500") in html
        assert rub("1 000") not in html


def test_taking_a_product_off_sale_updates_the_counts_of_its_listing(
    client, shelf, cctv, django_capture_on_commit_callbacks
):
    a, _ = shelf
    StockFactory(product=ProductFactory(name="Камера Гамма", category=cctv), quantity=3)
    assert "2 товара" in client.get(CCTV).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        products_set_active(product_ids=[a.pk], is_active=False)
    html = client.get(CCTV).content.decode()
    assert "1 товар<" in html
    assert "Камера Альфа" not in html
    assert client.get(a.get_absolute_url()).status_code == 404


def test_an_edit_retires_the_pages_that_show_the_product_among_related_ones(client, shelf, cctv):
    a, _ = shelf
    neighbour = ProductFactory(name="Камера Дельта", category=cctv, popularity=0)
    StockFactory(product=neighbour)
    assert rub("1 000") in client.get(neighbour.get_absolute_url()).content.decode()  # A among «Похожие товары»
    edit_price(a, "1200")
    assert rub("1 200") in client.get(neighbour.get_absolute_url()).content.decode()


def test_kit_and_component_pages_follow_each_others_edits(client, shelf):
    a, _ = shelf
    kit = ProductFactory(
        name="Комплект Омега", category=Category.objects.get(slug="gotovye-komplekty"), price=Decimal("9000")
    )
    StockFactory(product=kit)
    KitComponentFactory(kit=kit, product=a, quantity=2)
    assert "Камера Альфа" in client.get(kit.get_absolute_url()).content.decode()
    assert rub("9 000") in client.get(a.get_absolute_url()).content.decode()  # «Входит в готовые комплекты»

    a.name = "Камера Альфа 2"
    a.save()
    products_changed(product_ids=[a.pk])
    edit_price(kit, "9500")

    assert "Камера Альфа 2" in client.get(kit.get_absolute_url()).content.decode()
    assert rub("9 500") in client.get(a.get_absolute_url()).content.decode()


def test_admin_edit_that_moves_a_product_retires_both_categories_and_nothing_unrelated(
    shelf, django_user_model, django_capture_on_commit_callbacks, django_assert_num_queries
):
    a, b = shelf
    untouched = "/catalog/umnyj-dom/"
    other = ProductFactory(name="Хаб Сигма", category=Category.objects.get(slug="umnyj-dom"))
    StockFactory(product=other)
    visitor = Client()
    for url in (a.get_absolute_url(), b.get_absolute_url(), other.get_absolute_url(), CAMERAS, ALARMS, untouched):
        visitor.get(url)
    staff = Client()
    staff.force_login(django_user_model.objects.create_superuser(email="admin@example.com", password="x-pass-123"))
    alarms = Category.objects.get(slug="okhrannaya-signalizatsiya")
    form = product_form(
        name=a.name,
        slug=a.slug,
        sku=a.sku,
        price="1300",
        category=str(alarms.pk),
        **inline("images", []),
        **inline("stocks", []),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/admin/catalog/product/{a.pk}/change/", form)
    assert response.status_code == 302

    with django_assert_num_queries(0):
        assert visitor.get(untouched).status_code == 200
        assert visitor.get(other.get_absolute_url()).status_code == 200
    assert rub("1 300") in visitor.get(a.get_absolute_url()).content.decode()
    assert "Камера Альфа" in visitor.get(b.get_absolute_url()).content.decode()  # now among B's related products
    assert "Камера Альфа" not in visitor.get(CAMERAS).content.decode()
    assert rub("1 300") in visitor.get(ALARMS).content.decode()


def test_a_renamed_product_leaves_no_page_at_its_old_address(client, shelf):
    a, _ = shelf
    old_url = a.get_absolute_url()
    assert client.get(old_url).status_code == 200
    before = product_traces(product_ids=[a.pk])
    a.slug = "kamera-alfa-novaya"
    a.save()
    products_changed(product_ids=[a.pk], before=before)
    assert client.get(old_url).status_code == 404


def test_stock_taken_by_orders_shows_on_the_next_listing_rendered_after_the_stock_units_age(
    client, shelf, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders, as for a page whose cached copy has expired
    monkeypatch.setattr(facets, "STOCK_FRESH_SECONDS", 0)  # the units free to sell recounted each time
    a, _ = shelf
    assert "Нет в наличии" not in client.get(CAMERAS).content.decode()
    Stock.objects.filter(product=a).update(reserved=20)  # no edit, no stamp: an order reserved it all
    html = client.get(CAMERAS).content.decode()
    assert "Нет в наличии" in html


def test_deleting_a_product_retires_its_listing(client, shelf, django_capture_on_commit_callbacks):
    from catalog.services import products_delete

    a, _ = shelf
    WarehouseFactory()
    assert "Камера Альфа" in client.get(CAMERAS).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        products_delete(product_ids=[a.pk])
    assert "Камера Альфа" not in client.get(CAMERAS).content.decode()
