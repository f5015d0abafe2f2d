from decimal import Decimal

import pytest

from catalog import search
from catalog.models import Category, Product
from catalog.search import SearchHits, build_search_text, query_stems, search_hits
from catalog.services import product_refresh_search
from catalog.tests.factories import BrandFactory, ProductFactory
from demo.seed import demo_catalog_seed


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


def names(query: str) -> list[str]:
    """The names of the products found, best first."""
    ids = search_hits(query=query).ids
    by_id = dict(Product.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [by_id[pk] for pk in ids]


@pytest.mark.django_db
def test_search_finds_russian_plural_with_brand(catalog_for_search):
    assert names("камеры hikvision") == ["Камера Hikvision DS-2CD2043G2-I 4 Мп"]


@pytest.mark.django_db
def test_search_by_brand_finds_every_product_of_it(catalog_for_search):
    assert set(names("Hikvision")) == {
        "Камера Hikvision DS-2CD2043G2-I 4 Мп",
        "Видеорегистратор Hikvision DS-7104NI",
    }


@pytest.mark.django_db
def test_search_puts_exact_sku_first(catalog_for_search):
    assert names("ds-7104ni")[0] == "Видеорегистратор Hikvision DS-7104NI"


@pytest.mark.django_db
def test_search_for_sensor_word_form(catalog_for_search):
    assert names("датчики дыма") == ["Датчик дыма Ajax FireProtect"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "несуществующийтовар"])
def test_search_with_nothing_to_match_is_empty(catalog_for_search, query):
    assert names(query) == []


@pytest.mark.django_db
def test_search_skips_inactive_products(catalog_for_search):
    catalog_for_search["dahua"].is_active = False
    catalog_for_search["dahua"].save()
    assert names("dahua") == []


@pytest.mark.django_db
def test_search_sees_renamed_product_after_refresh(catalog_for_search):
    product = catalog_for_search["smoke"]
    product.name = "Извещатель пожарный Ajax FireProtect"
    product.save()
    product_refresh_search(product_ids=[product.pk])
    assert names("извещатель") == ["Извещатель пожарный Ajax FireProtect"]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("query", ["hikvison камера", "камера hikvisoin"])
def test_postgres_search_forgives_typos(catalog_for_search, query):
    assert "Камера Hikvision DS-2CD2043G2-I 4 Мп" in names(query)


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
    assert names("камера")[:2] == [
        "Камера Hikvision DS-2CD2043G2-I 4 Мп",
        "Камера Dahua IPC-HFW2431S 4 Мп",
    ]


@pytest.mark.parametrize(
    ("found", "capped", "label"),
    [
        (1, False, "1 товар"),
        (3, False, "3 товара"),
        (11, False, "11 товаров"),
        (21, False, "21 товар"),
        (1857, False, "1\u00a0857 товаров"),
        (3, True, "более 2 товаров"),
        (22, True, "более 21 товара"),
        (12, True, "более 11 товаров"),
        (49, True, "более 48 товаров"),
        (1001, True, "более 1\u00a0000 товаров"),
    ],
)
def test_search_label_counts_in_russian_and_says_more_than_past_the_cap(found, capped, label):
    assert SearchHits(ids=list(range(found)), capped=capped).label == label


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_puts_every_word_match_before_a_typo_match(catalog_for_search):
    ProductFactory(
        name="Камера Hikvisoin DS-2CD1023G0E-I 2 Мп",
        sku="TYPO-1",
        category=Category.objects.get(slug="videonablyudenie"),
        brand=None,
        popularity=1000,
    )
    product_refresh_search()

    assert names("камера hikvision") == [
        "Камера Hikvision DS-2CD2043G2-I 4 Мп",
        "Камера Hikvisoin DS-2CD1023G0E-I 2 Мп",
    ]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_looks_for_typos_only_when_the_words_match_few(catalog_for_search, monkeypatch):
    monkeypatch.setattr(search, "TYPOS_BELOW", 1)
    ProductFactory(name="Камера Hikvisoin DS-2CD1023G0E-I 2 Мп", sku="TYPO-1", brand=None, popularity=1000)
    product_refresh_search()

    assert names("камера hikvision") == ["Камера Hikvision DS-2CD2043G2-I 4 Мп"]
    assert names("камера hikvisoin") == ["Камера Hikvisoin DS-2CD1023G0E-I 2 Мп"]


@pytest.mark.django_db
def test_search_puts_exact_sku_first_even_past_the_cap(catalog_for_search, monkeypatch):
    monkeypatch.setattr(search, "SCAN_LIMIT", 2)
    for number in range(5):
        ProductFactory(name=f"Кронштейн {number} для DS-7104NI", sku=f"BR-{number}", popularity=900 + number)
    product_refresh_search()

    hits = search_hits(query="DS-7104NI")

    assert names("DS-7104NI")[0] == "Видеорегистратор Hikvision DS-7104NI"
    assert (len(hits.ids), hits.capped, hits.label) == (4, True, "более 3 товаров")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["\x00", "камера\x00hikvision", "!&|()", "-камера", "я" * 10_000, "'; DROP TABLE x; --", ":*", '"', "\\", "%_"],
)
def test_search_survives_absurd_queries(catalog_for_search, query):
    hits = search_hits(query=query)
    assert hits.capped is False
    assert len(hits.ids) <= 4


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["!&|()", "--- ...", "«»"])
def test_search_for_punctuation_alone_finds_nothing(catalog_for_search, query):
    assert search_hits(query=query).ids == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_orders_the_demo_catalogue_by_relevance():
    demo_catalog_seed(images=False)

    assert names("HW-DS-T200B-28")[0] == "Камера HiWatch DS-T200(B) 2 Мп, 2.8 мм"
    assert all("Hikvision" in name for name in names("камеры hikvision")[:3])
    assert all("камер" in name.lower() for name in names("камеры hikvision")[:3])
    assert all("протечк" in name.lower() for name in names("датчик протечки")[:3])
    assert "Hikvision" in names("hikvison камера")[0]


def found_names(response) -> list[str]:
    return [product.name for product in response.context["page"].object_list]


@pytest.mark.django_db
def test_search_page_counts_past_the_cap_and_asks_to_refine_on_the_last_page(client, make_products, monkeypatch):
    monkeypatch.setattr(search, "SCAN_LIMIT", 30)
    make_products(40)

    first = client.get("/search/", {"q": "камера"})
    last = client.get("/search/", {"q": "камера", "page": 2})

    assert "— более 30 товаров</p>" in first.content.decode()
    assert len(found_names(first)) == 24 and "уточните запрос" not in first.content.decode()
    assert len(found_names(last)) == 7 and "уточните запрос" in last.content.decode()


@pytest.mark.django_db
def test_search_page_counts_exactly_below_the_cap(client, make_products):
    make_products(26)

    html = client.get("/search/", {"q": "камера"}).content.decode()

    assert "— 26 товаров</p>" in html
    assert "уточните запрос" not in html


@pytest.mark.django_db
def test_search_pages_follow_the_order_of_the_hits(client, make_products, settings):
    settings.CATALOG_PAGE_SIZE = 10
    make_products(25)
    expected = names("камера")

    pages = [found_names(client.get("/search/", {"q": "камера", "page": number})) for number in (1, 2, 3)]

    assert pages[0] + pages[1] + pages[2] == expected
    assert found_names(client.get("/search/", {"q": "камера", "page": 99})) == pages[2]
    assert found_names(client.get("/search/", {"q": "камера", "page": "x"})) == pages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(("size", "scan_limit"), [(5, 1000), (200, 1000), (200, 50)])
def test_search_page_budget_is_exact_whatever_the_matches(
    client, make_products, django_assert_num_queries, monkeypatch, size, scan_limit
):
    monkeypatch.setattr(search, "SCAN_LIMIT", scan_limit)
    make_products(size)
    client.get("/search/?q=камера&page=2")  # warm the category tree and cards the way a second visitor finds them
    # The hits and the cards of the page (pictures only for cards not cached yet); nothing found: the hits alone.
    with django_assert_num_queries(2):
        assert client.get("/search/", {"q": "камера", "page": 2}).status_code == 200
    with django_assert_num_queries(1):
        assert "ничего не найдено" in client.get("/search/?q=несуществующийтовар").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "shown"), [("я" * 10_000, "я" * 200), ("камеры\x00 hikvision", "камеры hikvision")])
def test_search_page_shows_the_part_of_an_absurd_query_it_searched_for(client, catalog_for_search, query, shown):
    response = client.get("/search/", {"q": query})
    html = response.content.decode()

    assert response.status_code == 200
    assert f"«{shown}»" in html
    assert "я" * 201 not in html and "\x00" not in html


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_leaves_out_an_excluded_word_and_finds_nothing_by_exclusions_alone(catalog_for_search):
    assert names("камера -dahua") == ["Камера Hikvision DS-2CD2043G2-I 4 Мп"]
    assert names("-камера") == []
