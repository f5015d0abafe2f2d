"""The cart page's summary: «Оформить заказ» is its primary action once checkout exists."""

import re

import pytest

from cart.tests.factories import CartFactory, CartLineFactory
from catalog.tests.factories import StockFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart_page(client, customer):
    CartLineFactory(cart=CartFactory(user=customer, session_key=None), product=StockFactory().product, quantity=3)
    client.force_login(customer)
    return lambda: client.get("/cart/").content.decode()


def _buttons(html: str) -> list[str]:
    summary = html[html.index('data-testid="cart-summary"') :]
    return re.findall(r'<a href="[^"]*" class="(btn [^"]*)"[^>]*>([^<]+)</a>', summary)


def test_checkout_is_the_carts_primary_action(cart_page, settings):
    settings.ROOT_URLCONF = "cart.tests.urls_with_checkout"

    assert _buttons(cart_page()) == [
        ("btn btn-primary btn-lg w-100 mt-3", "Оформить заказ"),
        ("btn btn-link w-100", "Продолжить покупки"),
    ]


def test_cart_summary_counts_units_in_russian_and_leads_back_to_the_catalog(cart_page):
    html = cart_page()

    assert 'data-testid="cart-count">3 товара</span>' in html
    assert "Продолжить покупки" in [label for _, label in _buttons(html)]
