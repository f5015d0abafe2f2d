from decimal import Decimal

import pytest

from catalog.models import Category, Stock
from catalog.selectors import (
    ListingFilters,
    card_products,
    category_listing,
    category_tree,
    product_get,
    with_availability,
)
from catalog.services import catalog_changed, products_set_active
from catalog.tests.factories import CategoryFactory, ProductFactory, StockFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def listing(category, **filters):
    tree = category_tree()
    node = tree.by_slug[category.slug]
    ids = tree.descendant_ids(node)
    facets, products = category_listing(
        category_slug=node.slug,
        category_ids=ids,
        attributes=tree.filter_attributes(node),
        filters=ListingFilters(**filters),
    )
    # The listing gives the products as the store knows them; their cards' fields come from the database.
    return card_products([p.pk for p in products[:]]), facets


def test_category_tree_nests_subcategories_under_the_customer_top_level():
    top = Category.objects.get(slug="videonablyudenie")
    CategoryFactory(name="IP-камеры", slug="ip-kamery", parent=top)
    tree = category_tree()
    assert [n.name for n in tree.roots] == [
        "Видеонаблюдение",
        "Охранная сигнализация",
        "Датчики (дым, утечка)",
        "Умный дом",
        "Готовые комплекты",
        "Монтаж и сервис",
    ]
    assert [c.slug for c in tree.by_slug["videonablyudenie"].children] == ["ip-kamery"]


def test_category_tree_is_cached_until_the_catalog_changes(django_assert_num_queries):
    category_tree()
    with django_assert_num_queries(0):
        category_tree()
    CategoryFactory(name="Новая", slug="novaya")
    catalog_changed()
    assert "novaya" in category_tree().by_slug


def test_category_listing_includes_subcategory_products(cctv, make_products):
    make_products(3)
    products, facets = listing(Category.objects.get(slug="videonablyudenie"))
    assert len(products) == 3
    assert facets.total == 3


def test_brand_filter_narrows_products_but_brand_counts_ignore_it(cctv, make_products):
    make_products(5)  # Hikvision: 0, 2, 4; Dahua: 1, 3
    products, facets = listing(cctv, brands=("dahua",))
    assert {p.brand_name for p in products} == {"Dahua"}
    assert facets.total == 2
    assert [(b["name"], b["count"]) for b in facets.brands] == [("Dahua", 2), ("Hikvision", 3)]


def test_attribute_filter_and_counts(cctv, make_products):
    make_products(6)  # resolution 2,3,4,2,3,4; power 12 В, PoE alternating
    products, facets = listing(cctv, attributes=(("resolution", ("4",)),))
    assert len(products) == 2
    resolution = next(a for a in facets.attributes if a["slug"] == "resolution")
    assert resolution["values"] == [{"value": "2", "count": 2}, {"value": "3", "count": 2}, {"value": "4", "count": 2}]
    power = next(a for a in facets.attributes if a["slug"] == "power")
    assert power["name"] == "Питание"


def test_price_range_and_in_stock_filters(cctv, make_products):
    make_products(8)  # prices 1000..1007; stock i%4*3 -> 0 for i = 0, 4
    products, facets = listing(cctv, price_min=Decimal("1002"), price_max=Decimal("1005"), in_stock=True)
    assert sorted(p.price for p in products) == [Decimal("1002"), Decimal("1003"), Decimal("1005")]
    assert facets.total == 3


def test_in_stock_filter_counts_reserved_units_as_taken(cctv):
    product = ProductFactory(category=cctv)
    StockFactory(product=product, quantity=3, reserved=3)
    products, _ = listing(cctv, in_stock=True)
    assert products == []


@pytest.mark.parametrize(("sort", "first_price"), [("price", Decimal("1000")), ("-price", Decimal("1004"))])
def test_sorting_by_price(cctv, make_products, sort, first_price):
    make_products(5)
    products, _ = listing(cctv, sort=sort)
    assert products[0].price == first_price


def test_sorting_by_popularity_is_the_default(cctv, make_products):
    made = make_products(5)
    products, _ = listing(cctv)
    assert [p.pk for p in products] == [p.pk for p in sorted(made, key=lambda p: -p.popularity)]


def test_availability_sums_free_units_over_warehouses(cctv):
    product = ProductFactory(category=cctv)
    StockFactory(product=product, quantity=2, reserved=1)
    StockFactory(
        product=product, warehouse=WarehouseFactory(code="spb", name="СПб", city="Санкт-Петербург"), quantity=3
    )
    assert with_availability(type(product).objects.filter(pk=product.pk)).get().available == 4
    assert product_get(slug=product.slug).availability.label == "Мало"


def test_product_taken_off_sale_disappears_and_comes_back(cctv, django_capture_on_commit_callbacks):
    product = ProductFactory(category=cctv)
    # The listing's store is retired when the change commits, as at the end of the admin's request.
    with django_capture_on_commit_callbacks(execute=True):
        products_set_active(product_ids=[product.pk], is_active=False)
    assert listing(cctv)[0] == []
    with django_capture_on_commit_callbacks(execute=True):
        products_set_active(product_ids=[product.pk], is_active=True)
    assert [p.pk for p in listing(cctv)[0]] == [product.pk]


def test_stock_cannot_reserve_more_than_on_hand(cctv):
    from django.db import IntegrityError, transaction

    stock = StockFactory(product=ProductFactory(category=cctv), quantity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(reserved=3)


def test_attribute_values_are_ordered_by_number(cctv):
    from catalog.models import Attribute, ProductAttributeValue

    resolution = Attribute.objects.get(slug="resolution")
    for value in ["12", "2", "4", "2.8–12", "без ИК"]:
        ProductAttributeValue.objects.create(product=ProductFactory(category=cctv), attribute=resolution, value=value)
    _, facets = listing(cctv)
    values = next(a for a in facets.attributes if a["slug"] == "resolution")["values"]
    assert [v["value"] for v in values] == ["2", "2.8–12", "4", "12", "без ИК"]
