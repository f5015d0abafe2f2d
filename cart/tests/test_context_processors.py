from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import Context, Template
from django.test import RequestFactory

from cart.context_processors import cart
from cart.tests.factories import CartFactory, CartLineFactory
from catalog.tests.factories import StockFactory

pytestmark = pytest.mark.django_db


def _request(*, user=None, session_key=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore(session_key)
    return request


def _render(context: dict) -> str:
    # The header's own use: once in a test, once printed.
    return Template("{% if cart_count %}[{{ cart_count }}]{% endif %}").render(Context(context))


def test_cart_count_of_a_guest_without_session_costs_no_query(django_assert_num_queries):
    request = _request()

    with django_assert_num_queries(0):
        assert _render(cart(request)) == ""


def test_cart_count_of_a_guest_with_a_cart_costs_one_query(django_assert_num_queries):
    guest_cart = CartFactory()
    CartLineFactory(cart=guest_cart, quantity=2)
    CartLineFactory(cart=guest_cart, quantity=3)
    request = _request(session_key=guest_cart.session_key)

    with django_assert_num_queries(1):
        assert _render(cart(request)) == "[5]"


def test_cart_count_of_a_guest_session_without_a_cart_is_zero(django_assert_num_queries):
    request = _request(session_key="c" * 32)

    with django_assert_num_queries(1):
        assert _render(cart(request)) == ""


def test_cart_count_of_a_customer_costs_one_query(customer, django_assert_num_queries):
    CartLineFactory(cart=CartFactory(user=customer, session_key=None), quantity=4)
    request = _request(user=customer)

    with django_assert_num_queries(1):
        assert _render(cart(request)) == "[4]"


def test_cart_count_is_not_counted_when_no_template_shows_it(django_assert_num_queries):
    guest_cart = CartFactory()
    CartLineFactory(cart=guest_cart)

    with django_assert_num_queries(0):
        cart(_request(session_key=guest_cart.session_key))


HEADER = (
    "{% load core_tags %}{% if cart_count %}{{ cart_summary.count|plural:'товар,товара,товаров' }} · "
    "{{ cart_summary.total|rub }}{% endif %}"
)


@pytest.mark.parametrize("lines", [1, 30])
def test_header_summary_counts_units_and_sum_in_one_query(customer, django_assert_num_queries, lines):
    cart_ = CartFactory(user=customer, session_key=None)
    for _ in range(lines):
        CartLineFactory(cart=cart_, quantity=1, product=StockFactory(product__price=Decimal("1000.00")).product)
    CartLineFactory(cart=cart_, quantity=2, product=StockFactory(quantity=0, product__price=Decimal("5.00")).product)

    with django_assert_num_queries(1):
        html = Template(HEADER).render(Context(cart(_request(user=customer))))

    # Units count every line; the sum leaves out what cannot be ordered, as the cart page does.
    expected = {1: "3 товара · 1\xa0000\xa0₽", 30: "32 товара · 30\xa0000\xa0₽"}[lines]
    assert html == expected
