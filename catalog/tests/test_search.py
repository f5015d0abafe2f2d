from decimal import Decimal

import pytest

from catalog.models import Category
from catalog.search import build_search_text, query_stems
from catalog.selectors import product_search
from catalog.services import product_refresh_search
from catalog.tests.factories import BrandFactory, ProductFactory


def test_query_stems_meet_across_russian_word_forms():
    assert query_stems("камеры") == query_stems("Камера")
    assert query_stems("датчиков протечки") == query_stems("датчик протечка")


def test_build_search_text_lowercases_folds_yo_and_deduplicates():
    assert build_search_text("Датчик ДЫМА", "датчик", "Ёлка") == "датчик дыма елка"


@pytest.fixture
def catalog_for_search(db):
    category = Category.objects.get(slug="videonablyudenie")
    hikvision = BrandFactory(name="Hikvision", slug="hikvision")
    dahua = BrandFactory(name="Dahua", slug="dahua")
    products = {
        "hik": ProductFactory(
            name="Камера Hikvision DS-2CD2043G2-I 4 Мп",
            sku="DS-2CD2043G2-I",
            category=category,
            brand=hikvision,
            popularity=5,
        ),
        "dahua": ProductFactory(
            name="Камера Dahua IPC-HFW2431S 4 Мп", sku="IPC-HFW2431S", category=category, brand=dahua
        ),
        "smoke": ProductFactory(
            name="Датчик дыма Ajax FireProtect",
            sku="AJ-FP",
            category=Category.objects.get(slug="datchiki"),
            price=Decimal("3990"),
        ),
        "recorder": ProductFactory(
            name="Видеорегистратор Hikvision DS-7104NI",
            sku="DS-7104NI",
            category=category,
            brand=hikvision,
            popularity=50,
        ),
    }
    product_refresh_search()
    return products


def names(queryset):
    return [p.name for p in queryset]


@pytest.mark.django_db
def test_search_finds_russian_plural_with_brand(catalog_for_search):
    assert names(product_search(query="камеры hikvision")) == ["Камера Hikvision DS-2CD2043G2-I 4 Мп"]


@pytest.mark.django_db
def test_search_by_brand_finds_every_product_of_it(catalog_for_search):
    assert set(names(product_search(query="Hikvision"))) == {
        "Камера Hikvision DS-2CD2043G2-I 4 Мп",
        "Видеорегистратор Hikvision DS-7104NI",
    }


@pytest.mark.django_db
def test_search_puts_exact_sku_first(catalog_for_search):
    assert names(product_search(query="ds-7104ni"))[0] == "Видеорегистратор Hikvision DS-7104NI"


@pytest.mark.django_db
def test_search_for_sensor_word_form(catalog_for_search):
    assert names(product_search(query="датчики дыма")) == ["Датчик дыма Ajax FireProtect"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "несуществующийтовар"])
def test_search_with_nothing_to_match_is_empty(catalog_for_search, query):
    assert names(product_search(query=query)) == []


@pytest.mark.django_db
def test_search_skips_inactive_products(catalog_for_search):
    catalog_for_search["dahua"].is_active = False
    catalog_for_search["dahua"].save()
    assert names(product_search(query="dahua")) == []


@pytest.mark.django_db
def test_search_sees_renamed_product_after_refresh(catalog_for_search):
    product = catalog_for_search["smoke"]
    product.name = "Извещатель пожарный Ajax FireProtect"
    product.save()
    product_refresh_search(product_ids=[product.pk])
    assert names(product_search(query="извещатель")) == ["Извещатель пожарный Ajax FireProtect"]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("query", ["hikvison камера", "камера hikvisoin"])
def test_postgres_search_forgives_typos(catalog_for_search, query):
    assert "Камера Hikvision DS-2CD2043G2-I 4 Мп" in names(product_search(query=query))


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_ranks_name_match_above_description_match(catalog_for_search):
    ProductFactory(
        name="Кронштейн настенный",
        sku="BR-1",
        description="Подходит для камеры",
        category=Category.objects.get(slug="videonablyudenie"),
        popularity=1000,
    )
    product_refresh_search()
    assert names(product_search(query="камера"))[:2] == [
        "Камера Hikvision DS-2CD2043G2-I 4 Мп",
        "Камера Dahua IPC-HFW2431S 4 Мп",
    ]
