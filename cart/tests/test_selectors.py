from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from cart.selectors import cart_count, cart_detail, cart_get, line_total
from cart.tests.factories import CartFactory, CartLineFactory
from catalog.tests.factories import ProductFactory, ProductImageFactory, StockFactory


@pytest.mark.parametrize(
    ("price", "quantity", "expected"),
    [
        (Decimal("1990.00"), 3, Decimal("5970.00")),
        (Decimal("0.01"), 99, Decimal("0.99")),
        (Decimal("12990.50"), 2, Decimal("25981.00")),
        (Decimal("333.33"), 1, Decimal("333.33")),
    ],
)
def test_line_total_multiplies_price_by_quantity_in_kopecks(price, quantity, expected):
    total = line_total(price=price, quantity=quantity)

    assert total == expected
    assert total.as_tuple().exponent == -2


@pytest.mark.django_db
def test_cart_detail_sums_line_totals_as_decimal():
    cart = CartFactory()
    CartLineFactory(cart=cart, product=StockFactory(product__price=Decimal("1990.00")).product, quantity=3)
    CartLineFactory(cart=cart, product=StockFactory(product__price=Decimal("12990.50")).product, quantity=2)

    detail = cart_detail(cart=cart)

    assert [item.total for item in detail.items] == [Decimal("5970.00"), Decimal("25981.00")]
    assert detail.total == Decimal("31951.00")
    assert detail.count == 5


@pytest.mark.django_db
def test_cart_detail_leaves_lines_out_of_stock_out_of_the_total():
    cart = CartFactory()
    CartLineFactory(cart=cart, product=StockFactory(product__price=Decimal("1000.00")).product, quantity=1)
    CartLineFactory(cart=cart, product=ProductFactory(price=Decimal("500.00")), quantity=2)

    detail = cart_detail(cart=cart)

    assert [item.availability.code for item in detail.items] == ["in_stock", "out"]
    assert detail.total == Decimal("1000.00")
    assert detail.count == 3
    assert detail.has_unorderable


@pytest.mark.django_db
def test_cart_detail_shows_the_first_image_by_position():
    product = StockFactory().product
    ProductImageFactory(product=product, position=2, alt="вторая")
    ProductImageFactory(product=product, position=1, alt="первая")
    cart = CartFactory()
    CartLineFactory(cart=cart, product=product)

    (item,) = cart_detail(cart=cart).items

    assert item.image.alt == "первая"


@pytest.mark.django_db
def test_cart_detail_of_no_cart_is_empty():
    detail = cart_detail(cart=None)

    assert (detail.items, detail.total, detail.count) == ([], Decimal("0.00"), 0)


@pytest.mark.django_db
@pytest.mark.parametrize("lines", [2, 20])
def test_cart_detail_runs_two_queries_whatever_the_size(django_assert_num_queries, lines):
    cart = CartFactory()
    for _ in range(lines):
        product = StockFactory().product
        ProductImageFactory(product=product)
        CartLineFactory(cart=cart, product=product)

    with django_assert_num_queries(2):
        detail = cart_detail(cart=cart)
        assert all(item.image is not None for item in detail.items)

    assert len(detail.items) == lines


def _request(*, user=None, session_key=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore(session_key)
    return request


@pytest.mark.django_db
def test_cart_get_finds_the_guest_cart_by_session():
    cart = CartFactory()

    assert cart_get(request=_request(session_key=cart.session_key)) == cart
    assert cart_get(request=_request(session_key="b" * 32)) is None


@pytest.mark.django_db
def test_cart_get_ignores_a_guest_cart_once_the_customer_is_logged_in(customer):
    guest = CartFactory()

    assert cart_get(request=_request(user=customer, session_key=guest.session_key)) is None


@pytest.mark.django_db
def test_cart_count_adds_up_units(customer):
    cart = CartFactory(user=customer, session_key=None)
    CartLineFactory(cart=cart, quantity=2)
    CartLineFactory(cart=cart, quantity=5)
    CartLineFactory(quantity=9)  # another visitor's

    assert cart_count(request=_request(user=customer)) == 7


@pytest.mark.django_db
def test_cart_detail_leaves_out_lines_of_products_gone_and_names_them_for_pruning():
    cart = CartFactory()
    kept = CartLineFactory(cart=cart, product=StockFactory(product__price=Decimal("1000.00")).product)
    off_sale = CartLineFactory(cart=cart, product=ProductFactory(is_active=False))

    detail = cart_detail(cart=cart)

    assert [item.pk for item in detail.items] == [kept.pk]
    assert detail.gone == [off_sale]
    assert detail.cart == cart
    assert detail.total == Decimal("1000.00")


@pytest.mark.django_db
def test_cart_detail_of_a_cart_whose_every_product_is_gone_has_no_items():
    cart = CartFactory()
    line = CartLineFactory(cart=cart, product=ProductFactory(is_active=False))

    detail = cart_detail(cart=cart)

    assert (detail.items, detail.gone, detail.cart, detail.count) == ([], [line], cart, 0)
