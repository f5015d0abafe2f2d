"""A signed-in customer in Chromium on pages served from the shared page cache: cart, message, logout."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from accounts.tests.factories import UserFactory
from catalog.models import Category
from catalog.tests.factories import ProductFactory, StockFactory

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_customer_buys_and_signs_out_on_pages_another_visitor_filled_the_cache_with(page, live_server):
    camera = ProductFactory(
        name="IP-камера уличная 4 Мп",
        price=Decimal("12990.00"),
        category=Category.objects.get(slug="videonablyudenie"),
    )
    StockFactory(product=camera, quantity=20)
    url = f"{live_server.url}{camera.get_absolute_url()}"
    Client().get(camera.get_absolute_url())  # a visitor without a cookie fills the cache
    customer = Client()
    customer.force_login(UserFactory(first_name="Алиса"))
    session = customer.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])

    page.goto(url)
    assert page.get_by_test_id("header-profile").inner_text() == "Алиса"
    page.get_by_label("Количество").fill("2")
    page.locator("form.add-to-cart").get_by_role("button", name="Добавить в корзину").click()
    page.get_by_text("Товар добавлен в корзину").wait_for()
    assert page.get_by_test_id("header-cart-count").inner_text() == "2"
    assert page.get_by_test_id("header-cart-summary").inner_text() == "2 товара · 25\xa0980\xa0₽"

    page.goto(url)
    assert page.get_by_text("Товар добавлен в корзину").count() == 0
    assert page.get_by_test_id("header-cart-count").inner_text() == "2"

    page.get_by_role("button", name="Выйти").click()
    page.get_by_role("link", name="Войти").wait_for()
    page.goto(url)
    assert page.get_by_test_id("header-profile").count() == 0
    assert page.get_by_test_id("header-cart-count").count() == 0
