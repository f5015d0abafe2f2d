"""Storefront pages as HTML: no form inside another, Russian plurals, formatted phones, icons, admin list."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from cart.tests.factories import CartFactory, CartLineFactory
from catalog.models import Category, Stock
from catalog.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Kamera-2026-dom"


class FormNesting(HTMLParser):
    """Find a <form> opened while another is still open: the browser drops the inner one."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.nested = 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.nested += self.depth > 0
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def nested_forms(html: str) -> int:
    parser = FormNesting()
    parser.feed(html)
    return parser.nested


@pytest.fixture
def phone_customer():
    return get_user_model().objects.create_user(phone="+79163863161", password=PASSWORD)


def test_no_page_nests_a_form_in_another(client, make_products, phone_customer):
    products = make_products(30)
    Stock.objects.update(quantity=10)
    CartLineFactory(cart=CartFactory(user=phone_customer, session_key=None), product=products[0])
    anonymous = [
        "/",
        "/catalog/",
        "/catalog/ip-kamery/",
        "/catalog/ip-kamery/?brand=dahua&in_stock=1&sort=price&page=1",
        products[0].get_absolute_url(),
        "/search/?q=камера",
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/product/no-such-product/",
    ]
    signed_in = ["/", "/cart/", "/accounts/profile/", "/accounts/password/change/", "/accounts/phone/change/"]
    pages = {url: client.get(url) for url in anonymous}
    client.force_login(phone_customer)
    pages |= {f"signed in {url}": client.get(url) for url in signed_in}

    assert {url: response.status_code for url, response in pages.items()} == {
        url: 404 if "no-such" in url else 200 for url in pages
    }
    assert {url: nested_forms(response.content.decode()) for url, response in pages.items()} == dict.fromkeys(pages, 0)
    category = pages["/catalog/ip-kamery/"].content.decode()
    assert category.count('action="/cart/add/"') == 24


@pytest.mark.parametrize(
    ("count", "words"), [(1, "1 товар"), (2, "2 товара"), (5, "5 товаров"), (21, "21 товар"), (22, "22 товара")]
)
def test_category_heading_counts_products_in_russian(client, make_products, count, words):
    make_products(count)

    html = client.get("/catalog/ip-kamery/").content.decode()

    assert f'data-testid="total">{words}</span>' in html


@pytest.mark.parametrize(("children", "words"), [(1, "1 раздел"), (3, "3 раздела"), (5, "5 разделов")])
def test_home_tiles_count_sections_in_russian(client, children, words):
    top = Category.objects.get(slug="umnyj-dom")
    top.children.all().delete()
    for i in range(children):
        CategoryFactory(parent=top, name=f"Раздел {i}", slug=f"razdel-{i}")

    html = client.get("/").content.decode()

    assert f'<span class="small" data-testid="tile-sections">{words}</span>' in html


def test_search_counts_found_products_in_russian(client, make_products):
    make_products(21)

    html = client.get("/search/?q=камера").content.decode()

    assert "— 21 товар</p>" in html


def test_filters_button_counts_active_filters(client, make_products):
    make_products(6)

    html = client.get("/catalog/ip-kamery/?brand=dahua&brand=hikvision&price_min=1000&in_stock=1").content.decode()

    assert 'data-testid="filters-count">4</span>' in html


def test_profile_and_header_show_the_phone_as_people_write_it(client, phone_customer):
    client.force_login(phone_customer)

    html = client.get("/accounts/profile/").content.decode()

    assert 'data-testid="profile-phone">+7 916 386-31-61</span>' in html
    assert 'data-testid="header-profile">+7 916 386-31-61</a>' in html
    assert "+79163863161" not in html


def test_every_page_links_its_icons_and_theme_colour(client):
    html = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/img/favicon.ico"' in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in html
    assert '<meta name="theme-color" content="#0b5cab">' in html


def test_favicon_at_the_site_root_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"


def test_pages_carry_only_the_shops_small_script(client):
    html = client.get("/").content.decode()

    assert "bootstrap.bundle" not in html
    assert '<script src="/static/js/shop.js" defer></script>' in html


def test_admin_sections_have_distinct_names(admin_client):
    html = admin_client.get("/admin/").content.decode()
    parser = Captions()
    parser.feed(html)

    assert "Пользователи и компании" in parser.captions
    assert len(parser.captions) == len(set(parser.captions))


def test_admin_product_list_puts_the_sku_under_the_name(admin_client, make_products):
    product = make_products(1)[0]

    html = admin_client.get("/admin/catalog/product/").content.decode()

    assert f'{product.name}<br><span class="sku">{product.sku}</span>' in html
    assert "/static/css/admin-products.css" in html


class Captions(HTMLParser):
    """The admin index's section names (the captions of its app tables)."""

    def __init__(self):
        super().__init__()
        self.captions: list[str] = []
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption and data.strip():
            self.captions.append(data.strip())
