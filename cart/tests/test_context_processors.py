import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import Context, Template
from django.test import RequestFactory

from cart.context_processors import cart
from cart.tests.factories import CartFactory, CartLineFactory

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
