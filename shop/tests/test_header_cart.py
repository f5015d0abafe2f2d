"""The header's cart count and sum on a page rendered in full (`shop.personal.header_cart`)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from cart.tests.factories import CartFactory, CartLineFactory
from catalog.tests.factories import StockFactory
from shop.personal import cart_changed, cart_owner_key, header_cart

pytestmark = pytest.mark.django_db

HEADER = (
    "{% load core_tags %}{% if cart_count %}{{ cart_summary.count|plural:'товар,товара,товаров' }} · "
    "{{ cart_summary.total|rub }}{% endif %}"
)


@pytest.fixture(autouse=True)
def _clean_catalog_cache():
    caches["catalog"].clear()
    yield
    caches["catalog"].clear()


@pytest.fixture
def customer():
    return UserFactory()


def _request(*, user=None, session_key=None, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore(session_key)
    return request


def _render(context: dict) -> str:
    # The header's own use: once in a test, once printed.
    return Template("{% if cart_count %}[{{ cart_count }}]{% endif %}").render(Context(context))


def test_cart_count_of_a_guest_without_session_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert _render(header_cart(_request())) == ""


def test_cart_count_of_a_guest_with_a_cart_costs_one_query(django_assert_num_queries):
    guest_cart = CartFactory()
    CartLineFactory(cart=guest_cart, quantity=2)
    CartLineFactory(cart=guest_cart, quantity=3)

    with django_assert_num_queries(1):
        assert _render(header_cart(_request(session_key=guest_cart.session_key))) == "[5]"


def test_cart_count_of_a_guest_session_without_a_cart_is_zero(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert _render(header_cart(_request(session_key="c" * 32))) == ""


def test_cart_count_of_a_customer_costs_one_query(customer, django_assert_num_queries):
    CartLineFactory(cart=CartFactory(user=customer, session_key=None), quantity=4)

    with django_assert_num_queries(1):
        assert _render(header_cart(_request(user=customer))) == "[4]"


def test_cart_count_is_not_counted_when_no_template_shows_it(django_assert_num_queries):
    guest_cart = CartFactory()
    CartLineFactory(cart=guest_cart)

    with django_assert_num_queries(0):
        header_cart(_request(session_key=guest_cart.session_key))


@pytest.mark.parametrize("lines", [1, 30])
def test_header_summary_counts_units_and_sum_in_one_query(customer, django_assert_num_queries, lines):
    cart_ = CartFactory(user=customer, session_key=None)
    for _ in range(lines):
        CartLineFactory(cart=cart_, quantity=1, product=StockFactory(product__price=Decimal("1000.00")).product)
    CartLineFactory(cart=cart_, quantity=2, product=StockFactory(quantity=0, product__price=Decimal("5.00")).product)

    with django_assert_num_queries(1):
        html = Template(HEADER).render(Context(header_cart(_request(user=customer))))

    # Units count every line; the sum leaves out what cannot be ordered, as the cart page does.
    expected = {1: "3 товара · 1\xa0000\xa0₽", 30: "32 товара · 30\xa0000\xa0₽"}[lines]
    assert html == expected


# --- With the page cache on: the owner's entry, retired by every request that may change a cart -------------


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def customer_cart(customer):
    cart_ = CartFactory(user=customer, session_key=None)
    CartLineFactory(cart=cart_, quantity=2, product=StockFactory(product__price=Decimal("1500.00")).product)
    return cart_


def test_a_get_takes_the_header_from_the_owners_entry_until_the_cart_changes(
    page_cache_on, customer, customer_cart, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert Template(HEADER).render(Context(header_cart(_request(user=customer)))) == "2 товара · 3\xa0000\xa0₽"
    with django_assert_num_queries(0):
        assert Template(HEADER).render(Context(header_cart(_request(user=customer)))) == "2 товара · 3\xa0000\xa0₽"

    CartLineFactory(cart=customer_cart, quantity=1, product=StockFactory(product__price=Decimal("10.00")).product)
    cart_changed([cart_owner_key(user=customer)])  # what the page cache's middleware does after a cart's POST

    with django_assert_num_queries(1):
        assert Template(HEADER).render(Context(header_cart(_request(user=customer)))) == "3 товара · 3\xa0010\xa0₽"


def test_a_post_counts_the_header_afresh_as_it_may_have_changed_the_cart(
    page_cache_on, customer, customer_cart, django_assert_num_queries
):
    Template(HEADER).render(Context(header_cart(_request(user=customer))))  # the entry is made
    CartLineFactory(cart=customer_cart, quantity=1, product=StockFactory(product__price=Decimal("10.00")).product)

    with django_assert_num_queries(1):
        html = Template(HEADER).render(Context(header_cart(_request(user=customer, method="post"))))

    assert html == "3 товара · 3\xa0010\xa0₽"


def test_without_the_page_cache_every_get_counts(settings, customer, customer_cart, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0  # no request retires the entries then: none is made
    for _ in range(2):
        with django_assert_num_queries(1):
            assert _render(header_cart(_request(user=customer))) == "[2]"


def test_a_page_rendered_in_full_shows_the_cart_right_after_an_add(page_cache_on):
    client, user = Client(), UserFactory()
    client.force_login(user)
    products = [StockFactory(product__price=Decimal("1000.00")).product for _ in range(2)]
    client.post("/cart/add/", {"product": products[0].pk, "quantity": 1})
    client.get("/orders/")  # shows the message of the addition
    cart_changed([cart_owner_key(user=user)])
    with CaptureQueriesContext(connection) as counted:
        assert client.get("/orders/").context["cart_count"] == 1

    # The same page again: the header from the owner's entry, one query less.
    with CaptureQueriesContext(connection) as kept:
        assert client.get("/orders/").context["cart_count"] == 1
    assert len(kept) == len(counted) - 1

    client.post("/cart/add/", {"product": products[1].pk, "quantity": 3})
    assert client.get("/orders/").context["cart_count"] == 4
