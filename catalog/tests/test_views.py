import re

import pytest
from django.urls import reverse

from catalog.models import Category, ObjectType, Product
from catalog.selectors import card_products
from catalog.tests.factories import KitComponentFactory, ProductFactory, ProductImageFactory, StockFactory

pytestmark = pytest.mark.django_db

# Fixed SQL budgets per page: they must not grow with the number of products.
# Exact queries per page for a visitor without a session (warm caches), and for a signed-in company buyer
# with interests, recommendations and a cart (the user, the session coming from the cache; company, cart,
# recommendations on top).
BUDGET = {"home": 3, "catalog": 0, "category": 0, "product": 6, "search": 2}
SIGNED_IN_BUDGET = {"home": 8, "category": 3, "product": 8}
# A cold category page also builds the category store (three queries) and counts the units free to sell (one).
COLD_CATEGORY_BUDGET = 8


def test_home_shows_categories_kits_and_popular(client, cctv, make_products):
    make_products(3)
    kits = Category.objects.get(slug="gotovye-komplekty")
    kit = ProductFactory(name="Комплект видеонаблюдения для квартиры", category=kits)
    StockFactory(product=kit)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Видеонаблюдение" in html
    assert "Готовые комплекты" in html
    assert "Комплект видеонаблюдения для квартиры" in html
    assert "Популярное" in html and "Новинки" in html


def test_category_page_shows_filters_with_counts_and_prices(client, cctv, make_products):
    make_products(5)
    response = client.get("/catalog/videonablyudenie/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 товаров" in html
    assert 'name="brand" value="dahua"' in html
    assert "Разрешение" in html
    assert "1\xa0004\xa0₽" in html
    assert "Добавить в корзину" in html


def test_category_page_filters_by_brand_through_the_query_string(client, cctv, make_products):
    make_products(5)
    response = client.get("/catalog/ip-kamery/", {"brand": "dahua", "sort": "price"})
    products = card_products([p.pk for p in response.context["page"].object_list])
    assert [p.brand_name for p in products] == ["Dahua", "Dahua"]
    assert products[0].price < products[1].price


def test_category_page_paginates(client, cctv, make_products, settings):
    settings.CATALOG_PAGE_SIZE = 2
    make_products(5)
    response = client.get("/catalog/ip-kamery/", {"page": 3})
    assert len(response.context["page"].object_list) == 1
    assert 'rel="prev"' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"price_min": "дорого"},
        {"price_min": "-5"},
        {"page": "abc"},
        {"page": "999"},
        {"sort": "drop table"},
        {"brand": "x" * 500},
        {"a_resolution": "<script>alert(1)</script>"},
        {"price_min": "1e400"},
    ],
)
def test_category_page_survives_bad_query_strings(client, cctv, make_products, params):
    make_products(3)
    response = client.get("/catalog/ip-kamery/", params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_category_page_explains_a_wrong_price_range_beside_the_field(client, cctv, make_products):
    make_products(3)
    response = client.get("/catalog/ip-kamery/", {"price_min": "5000", "price_max": "100"})
    html = response.content.decode()
    assert "Цена «до» должна быть не меньше цены «от»." in html
    assert 'value="5000"' in html and 'value="100"' in html


def test_unknown_category_and_product_answer_friendly_404(client):
    for url in ("/catalog/net-takoi/", "/product/net-takogo/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Такой страницы нет" in response.content.decode()


def test_inactive_product_page_is_404(client, cctv):
    product = ProductFactory(category=cctv, is_active=False)
    assert client.get(product.get_absolute_url()).status_code == 404


def test_product_page_shows_everything_a_buyer_needs(client, cctv, make_products):
    products = make_products(3)
    product = products[2]
    kit = ProductFactory(name="Комплект для дома", category=Category.objects.get(slug="gotovye-komplekty"))
    KitComponentFactory(kit=kit, product=product, quantity=2)
    ProductImageFactory(product=product, alt="Вид сбоку")
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert product.name in html
    assert product.sku in html
    assert "1\xa0002\xa0₽" in html
    assert "в т.ч. НДС 22%" in html
    assert "В наличии" in html
    assert "Разрешение" in html
    assert "Добавить в корзину" in html
    assert 'name="quantity"' in html
    assert "Комплект для дома" in html
    assert "Похожие товары" in html
    assert html.count("data-gallery-thumb") == 2
    assert "Видеонаблюдение" in html and "IP-камеры" in html  # breadcrumbs


def test_out_of_stock_product_has_no_add_to_cart_button(client, cctv):
    product = ProductFactory(category=cctv)
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Нет в наличии" in html
    assert "Добавить в корзину" not in html


def test_search_page_lists_matches(client, cctv, make_products):
    make_products(3)
    response = client.get("/search/", {"q": "камеры dahua"})
    assert response.status_code == 200
    assert [p.brand_name for p in response.context["page"].object_list] == ["Dahua"]


def test_search_page_without_matches_says_so(client, cctv):
    html = client.get("/search/", {"q": "<b>нет</b>"}).content.decode()
    assert "ничего не найдено" in html
    assert "<b>нет</b>" not in html


def test_healthz_reports_database(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.parametrize("size", [5, 200])
def test_page_query_budgets_do_not_grow_with_products(
    client, cctv, make_products, django_assert_num_queries, size, settings
):
    settings.CATALOG_PAGE_SIZE = 24
    products = make_products(size)
    KitComponentFactory(
        kit=ProductFactory(category=Category.objects.get(slug="gotovye-komplekty")), product=products[0]
    )
    pages = {
        "home": "/",
        "catalog": "/catalog/",
        "category": "/catalog/videonablyudenie/?brand=hikvision&a_resolution=4&in_stock=1&sort=price",
        "product": products[0].get_absolute_url(),
        "search": "/search/?q=камера hikvision",
    }
    for name, url in pages.items():
        client.get(url)  # warm the cache the way a second visitor finds it
        with django_assert_num_queries(BUDGET[name]):
            assert client.get(url).status_code == 200
    assert Product.objects.count() == size + 1


@pytest.mark.parametrize("size", [1, 6])
def test_product_page_budget_does_not_grow_with_pictures_attributes_stock_rows_or_kits(
    client, cctv, django_assert_num_queries, size
):
    from catalog.models import Attribute
    from catalog.tests.factories import ProductAttributeValueFactory, WarehouseFactory

    product = ProductFactory(category=cctv)
    kits = Category.objects.get(slug="gotovye-komplekty")
    for n in range(size):
        ProductImageFactory(product=product, position=n)
        attribute = Attribute.objects.create(name=f"Свойство {n}", slug=f"prop-{n}")
        ProductAttributeValueFactory(product=product, attribute=attribute, value=str(n))
        StockFactory(product=product, warehouse=WarehouseFactory(code=f"w{n}", name=f"Склад {n}"))
        KitComponentFactory(kit=ProductFactory(category=kits), product=product)
        StockFactory(product=ProductFactory(category=cctv, popularity=100 + n))  # related products
    client.get(product.get_absolute_url())
    # The product, its pictures, attributes, stock rows, kit links and the kits' cards.
    with django_assert_num_queries(6):
        html = client.get(product.get_absolute_url()).content.decode()
    assert html.count("data-gallery-thumb") == (size if size > 1 else 0)
    assert html.count('data-testid="product-card"') == min(size, 4) * 2


@pytest.mark.parametrize("size", [5, 200])
def test_cold_category_page_budget_does_not_grow_with_products(
    client, cctv, make_products, django_assert_num_queries, size
):
    make_products(size)
    with django_assert_num_queries(COLD_CATEGORY_BUDGET):
        assert client.get(reverse("catalog:category", kwargs={"slug": "videonablyudenie"})).status_code == 200


@pytest.mark.parametrize("size", [5, 200])
def test_signed_in_company_buyer_pages_keep_their_budget(client, cctv, make_products, django_assert_num_queries, size):
    """A B2B buyer with interests, recommendations and a cart costs a fixed number of extra queries."""
    from accounts.tests.factories import CompanyUserFactory

    products = make_products(size)
    buyer = CompanyUserFactory(object_type=ObjectType.objects.get(slug="apartment"))
    buyer.interests.add(Category.objects.get(slug="videonablyudenie"))
    client.force_login(buyer)
    for product in products[:3]:
        client.post("/cart/add/", {"product": product.pk})
    for name, url in {
        "home": "/",
        "category": "/catalog/videonablyudenie/",
        "product": products[1].get_absolute_url(),
    }.items():
        client.get(url)
        with django_assert_num_queries(SIGNED_IN_BUDGET[name]):
            html = client.get(url).content.decode()
        assert "в т.ч. НДС 22%" in html


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=камера%00",
        "/catalog/videonablyudenie/?brand=%00",
        "/catalog/videonablyudenie/?a_resolution=4%00",
        "/search/?q=" + "я" * 5000,
        "/search/?q=%27%3B--",
        "/search/?q=!%26|()",
    ],
)
def test_pages_survive_hostile_query_strings(client, cctv, make_products, url):
    make_products(3)
    assert client.get(url).status_code == 200


def test_product_pages_of_a_category_share_their_related_cards_and_leave_themselves_out(
    client, cctv, make_products, django_assert_num_queries
):
    products = make_products(6)  # popularity 0..5: the top five are related on every page of the category
    client.get(products[0].get_absolute_url())
    # Another product of the category: its page reads no related products (the product, its pictures,
    # attributes, stock rows and kit links).
    with django_assert_num_queries(5):
        html = client.get(products[5].get_absolute_url()).content.decode()
    related = [int(pk) for pk in re.findall(r'id="product-(\d+)"', html)]
    assert related == [products[4].pk, products[3].pk, products[2].pk, products[1].pk]


def test_breadcrumbs_lead_from_home_through_each_category_to_the_page(client, cctv):
    product = ProductFactory(name="Камера <Hikvision> & Co", category=cctv)
    html = client.get(product.get_absolute_url()).content.decode()
    assert (
        '<ol class="breadcrumb small mb-0">'
        '<li class="breadcrumb-item"><a href="/">Главная</a></li>'
        '<li class="breadcrumb-item"><a href="/catalog/">Каталог</a></li>'
        '<li class="breadcrumb-item"><a href="/catalog/videonablyudenie/">Видеонаблюдение</a></li>'
        '<li class="breadcrumb-item"><a href="/catalog/ip-kamery/">IP-камеры</a></li>'
        '<li class="breadcrumb-item active" aria-current="page">Камера &lt;Hikvision&gt; &amp; Co</li></ol>'
    ) in html
    html = client.get("/catalog/ip-kamery/").content.decode()
    assert (
        '<a href="/catalog/videonablyudenie/">Видеонаблюдение</a></li>'
        '<li class="breadcrumb-item active" aria-current="page">IP-камеры</li></ol>'
    ) in html
    html = client.get("/catalog/").content.decode()
    assert '<li class="breadcrumb-item"><a href="/catalog/">Каталог</a></li></ol>' in html


def test_sort_row_keeps_the_filters_drops_the_page_and_marks_the_current_order(client, make_products):
    make_products(3)
    html = client.get("/catalog/ip-kamery/?brand=dahua&brand=hikvision&sort=price&page=1").content.decode()
    row = html[html.index('<div class="sort-row') :]
    row = row[: row.index("</div>")]
    assert '<option value="price" selected>Сначала дешевле</option>' in row
    assert '<option value="popular">Популярные</option>' in row
    assert '<span class="badge text-bg-dark" aria-current="true">Сначала дешевле</span>' in row
    assert '<a href="?brand=dahua&amp;brand=hikvision&amp;sort=-price" class="link-secondary">Сначала дороже</a>' in row
    assert '<a href="?brand=dahua&amp;brand=hikvision&amp;sort=popular" class="link-secondary">Популярные</a>' in row
