"""The category's column store gives the same counts and the same order as the SQL it replaced."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import facets
from catalog.models import Attribute, Category, Product, ProductAttributeValue, Stock
from catalog.selectors import ListingFilters, category_facets, category_listing, category_tree
from catalog.tests.factories import BrandFactory, CategoryFactory, WarehouseFactory
from catalog.tests.listing_sql import category_products, facets_by_sql

pytestmark = pytest.mark.django_db

SORT_NAMES = ["popular", "price", "-price", "new"]
RESOLUTIONS = ["2 Мп", "4 Мп", "8 Мп", "12 Мп", "Full HD"]
POWERS = ["PoE", "12 В", "24 В"]
LENSES = ["2.8 мм", "3.6 мм", "моторизованный"]


@pytest.fixture
def varied_catalogue():
    """A top category with two subcategories: brands (one without), price and popularity ties, equal
    creation times, three filter attributes (one only in a subcategory), stock in an active and a
    closed warehouse, fully reserved stock and hidden products. Returns the three category slugs."""
    rng = random.Random(12)
    top = CategoryFactory(name="Видео", slug="video")
    cameras = CategoryFactory(name="Камеры", slug="cams", parent=top)
    recorders = CategoryFactory(name="Регистраторы", slug="recs", parent=top)
    resolution = Attribute.objects.create(name="Разрешение", slug="res", unit="Мп", position=1)
    power = Attribute.objects.create(name="Питание", slug="pwr", position=2)
    lens = Attribute.objects.create(name="Объектив", slug="lens", position=3)
    top.filter_attributes.add(resolution, power)
    cameras.filter_attributes.add(lens)
    brands = [
        BrandFactory(name="Hikvision", slug="hik"),
        BrandFactory(name="Dahua", slug="dahua"),
        BrandFactory(name="Ajax", slug="ajax"),
        BrandFactory(name="Болид", slug="bolid"),
        None,
    ]
    open_warehouse = WarehouseFactory(code="msk", name="Москва")
    closed_warehouse = WarehouseFactory(code="spb", name="Петербург", is_active=False)
    moment = timezone.now()
    products = Product.objects.bulk_create(
        Product(
            sku=f"V-{i:04d}",
            name=f"Товар {i}",
            slug=f"v-{i}",
            category=[top, cameras, recorders][i % 3],
            brand=rng.choice(brands),
            price=Decimal(rng.choice([990, 1500, 1500, 2490, 7990, 12000])) + Decimal(rng.choice(["0", "0.50"])),
            popularity=rng.choice([0, 0, 5, 10, 40]),
            is_active=rng.random() > 0.1,
        )
        for i in range(90)
    )
    # Equal creation times for whole groups, so the «new» order falls back to the primary key.
    for product in products:
        Product.objects.filter(pk=product.pk).update(created_at=moment - timedelta(days=rng.choice([0, 1, 1, 7])))
    values, stocks = [], []
    for product in products:
        if rng.random() > 0.15:
            values.append(ProductAttributeValue(product=product, attribute=resolution, value=rng.choice(RESOLUTIONS)))
        if rng.random() > 0.3:
            values.append(ProductAttributeValue(product=product, attribute=power, value=rng.choice(POWERS)))
        if product.category_id == cameras.pk and rng.random() > 0.2:
            values.append(ProductAttributeValue(product=product, attribute=lens, value=rng.choice(LENSES)))
        kind = rng.choice(["none", "free", "reserved", "closed"])
        if kind == "free":
            stocks.append(Stock(product=product, warehouse=open_warehouse, quantity=rng.randint(1, 9)))
        elif kind == "reserved":
            stocks.append(Stock(product=product, warehouse=open_warehouse, quantity=3, reserved=3))
        elif kind == "closed":
            stocks.append(Stock(product=product, warehouse=closed_warehouse, quantity=5))
    ProductAttributeValue.objects.bulk_create(values)
    Stock.objects.bulk_create(stocks)
    return ["video", "cams", "recs"]


def _combinations(rng: random.Random, count: int) -> list[ListingFilters]:
    combos = [ListingFilters(sort=sort) for sort in SORT_NAMES]
    for _ in range(count):
        low = rng.choice([None, None, Decimal("1000"), Decimal("1500.5"), Decimal("1500.50"), Decimal("990.001")])
        high = rng.choice([None, None, Decimal("2490.50"), Decimal("7990"), Decimal("12000.49")])
        attributes = []
        for slug, options in (("res", RESOLUTIONS), ("pwr", POWERS), ("lens", LENSES)):
            if rng.random() < 0.4:
                attributes.append((slug, tuple(sorted(rng.sample([*options, "нет такого"], rng.randint(1, 3))))))
        combos.append(
            ListingFilters(
                brands=tuple(sorted(rng.sample(["hik", "dahua", "ajax", "bolid", "nobody"], rng.randint(0, 3)))),
                price_min=low,
                price_max=high,
                in_stock=rng.random() < 0.4,
                attributes=tuple(attributes),
                sort=rng.choice(SORT_NAMES),
            )
        )
    return combos


def _category(slug: str):
    tree = category_tree()
    node = tree.by_slug[slug]
    return node, tree.descendant_ids(node), tree.filter_attributes(node)


def test_store_counts_and_order_equal_the_sql_for_every_filter_kind(varied_catalogue):
    rng = random.Random(2026)
    checked = 0
    for slug in varied_catalogue:
        node, ids, attributes = _category(slug)
        for filters in _combinations(rng, 60):
            expected = facets_by_sql(ids, attributes, filters)
            got, products = category_listing(
                category_slug=node.slug, category_ids=ids, attributes=attributes, filters=filters
            )
            assert got == expected, (slug, filters)
            sql_ids = list(category_products(category_ids=ids, filters=filters).values_list("pk", flat=True))
            assert [int(pk) for pk in products.ids] == sql_ids, (slug, filters)
            checked += bool(sql_ids)
    # The combinations are varied enough to select something most of the time.
    assert checked > 100


@pytest.mark.parametrize("sort", SORT_NAMES)
def test_every_page_of_the_listing_shows_the_cards_the_sql_orders_there(client, settings, varied_catalogue, sort):
    settings.CATALOG_PAGE_SIZE = 7
    expected = list(category_products(category_ids=_category("video")[1], filters=ListingFilters(sort=sort)))
    pages = (len(expected) + 6) // 7
    assert pages > 5
    for number in range(1, pages + 1):
        response = client.get("/catalog/video/", {"sort": sort, "page": number})
        shown = [p.pk for p in response.context["page"].object_list]
        assert shown == [p.pk for p in expected[(number - 1) * 7 : number * 7]]


def test_store_counts_follow_stock_taken_by_orders_once_the_stock_flags_age(varied_catalogue, monkeypatch):
    node, ids, attributes = _category("video")
    filters = ListingFilters(in_stock=True)
    before = category_facets(category_slug=node.slug, category_ids=ids, attributes=attributes, filters=filters)
    stock = Stock.objects.filter(
        product__category_id__in=ids, product__is_active=True, warehouse__is_active=True, reserved=0
    ).first()
    # An order takes every free unit: no stamp changes, only the stock row.
    Stock.objects.filter(pk=stock.pk).update(reserved=stock.quantity)
    monkeypatch.setattr(facets, "STOCK_FRESH_SECONDS", 0)
    after = category_facets(category_slug=node.slug, category_ids=ids, attributes=attributes, filters=filters)
    assert after.total == before.total - 1
    assert after == facets_by_sql(ids, attributes, filters)


def test_a_hidden_product_leaves_the_store_once_its_category_stamp_changes(
    varied_catalogue, django_capture_on_commit_callbacks
):
    from catalog.services import products_set_active

    node, ids, attributes = _category("cams")
    _, products = category_listing(
        category_slug=node.slug, category_ids=ids, attributes=attributes, filters=ListingFilters()
    )
    first = int(products.ids[0])
    with django_capture_on_commit_callbacks(execute=True):
        products_set_active(product_ids=[first], is_active=False)
    facets_now, products = category_listing(
        category_slug=node.slug, category_ids=ids, attributes=attributes, filters=ListingFilters()
    )
    assert first not in [int(pk) for pk in products.ids]
    assert facets_now == facets_by_sql(ids, attributes, ListingFilters())


def test_the_store_takes_a_few_dozen_bytes_a_product(varied_catalogue):
    node, ids, attributes = _category("video")
    store = facets.category_store(category_slug=node.slug, category_ids=ids, attributes=attributes)
    assert (
        len(store)
        == Product.objects.filter(
            category__in=Category.objects.filter(slug__in=varied_catalogue), is_active=True
        ).count()
    )
    # pk, price, edit time 8 bytes each; brand, lead time 4 each; service 1; three attribute codes (one from a
    # subcategory) 12; four orders 16.
    assert store.nbytes == len(store) * 61


def test_while_the_shared_cache_is_away_a_process_serves_its_store_instead_of_building_one_a_request(
    varied_catalogue, monkeypatch
):
    from catalog.versions import bump, category_key

    node, ids, attributes = _category("cams")
    builds = []
    real_build = facets.store_build
    monkeypatch.setattr(facets, "store_build", lambda *args: builds.append(1) or real_build(*args))
    first = facets.category_store(category_slug=node.slug, category_ids=ids, attributes=attributes)
    # Without the cache no stamp holds from one request to the next, as if every one were an edit.
    monkeypatch.setattr(facets, "_cache_away", lambda: True)
    bump([category_key(node.slug)])
    assert facets.category_store(category_slug=node.slug, category_ids=ids, attributes=attributes) is first
    assert builds == [1]
    monkeypatch.setattr(facets, "_cache_away", lambda: False)
    bump([category_key(node.slug)])
    assert facets.category_store(category_slug=node.slug, category_ids=ids, attributes=attributes) is not first
    assert builds == [1, 1]


def test_a_listed_product_carries_the_version_and_availability_the_database_gives_its_card(varied_catalogue):
    from catalog.selectors import card_products
    from catalog.services import catalog_changed

    node, ids, attributes = _category("video")
    shown = Product.objects.filter(category_id__in=ids, is_active=True).order_by("pk")
    # One product of each availability besides «в наличии» and «нет в наличии», which the catalogue has.
    low, backorder, service = shown[0], shown[1], shown[2]
    Stock.objects.filter(product__in=[backorder, service]).delete()
    Stock.objects.filter(product=low).update(quantity=2, reserved=0)
    Product.objects.filter(pk=backorder.pk).update(backorder_days=7)
    Product.objects.filter(pk=service.pk).update(is_service=True)
    catalog_changed()
    _, listing = category_listing(
        category_slug=node.slug, category_ids=ids, attributes=attributes, filters=ListingFilters()
    )
    listed = listing[:]
    read = {product.pk: product for product in card_products([product.pk for product in listed])}
    assert [(p.pk, p.edited, p.availability) for p in listed] == [
        (p.pk, read[p.pk].edited, read[p.pk].availability) for p in listed
    ]
    assert {p.availability.code for p in listed} == {"in_stock", "low", "backorder", "out", "service"}
