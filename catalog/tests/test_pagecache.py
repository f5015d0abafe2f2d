import re

import pytest
from django.test import Client

from catalog.pagecache import CSRF_PLACEHOLDER
from catalog.services import catalog_changed
from catalog.tests.factories import ProductFactory, StockFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def product(cctv):
    product = ProductFactory(name="Камера Hikvision DS-2CD1043", category=cctv)
    StockFactory(product=product, quantity=20)
    return product


def test_second_anonymous_visit_is_served_without_queries(client, product, django_assert_num_queries):
    client.get(product.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(product.get_absolute_url())
    assert product.name in response.content.decode()
    assert "Cookie" in response["Vary"]


def test_cached_page_gives_each_visitor_a_working_csrf_token(product):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(product.get_absolute_url())
    html = second.get(product.get_absolute_url()).content.decode()
    assert CSRF_PLACEHOLDER not in html
    token = TOKEN.search(html).group(1)
    response = second.post("/cart/add/", {"product": product.pk, "quantity": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert second.get("/cart/").context["cart_count"] == 1


def test_visitor_with_a_session_gets_a_fresh_page(client, product):
    client.get(product.get_absolute_url())
    client.post("/cart/add/", {"product": product.pk, "quantity": "2"})
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'data-testid="header-cart-count">2</span>' in html


def test_catalog_change_invalidates_cached_pages(client, product):
    client.get(product.get_absolute_url())
    product.name = "Камера Hikvision новая"
    product.save()
    catalog_changed()
    assert "Камера Hikvision новая" in client.get(product.get_absolute_url()).content.decode()


def test_missing_pages_are_not_cached(client, cctv, django_assert_num_queries):
    client.get("/product/net-takogo/")
    with django_assert_num_queries(1):
        assert client.get("/product/net-takogo/").status_code == 404
    ProductFactory(slug="net-takogo", category=cctv)
    assert client.get("/product/net-takogo/").status_code == 200
