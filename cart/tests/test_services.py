import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from cart.exceptions import (
    CartLineNotFound,
    InvalidQuantity,
    LineQuantityLimit,
    ProductNotOnSale,
    ProductOutOfStock,
    QuantityAboveAvailable,
)
from cart.models import Cart, CartLine
from cart.services import cart_add_item, cart_get_or_create, cart_prune, cart_remove_line, cart_set_quantity
from cart.tests.factories import CartFactory, CartLineFactory
from catalog.services import products_set_active
from catalog.tests.factories import ProductFactory, StockFactory

pytestmark = pytest.mark.django_db


def guest_request(session_key: str | None = None):
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key)
    request.user = AnonymousUser()
    return request


def customer_request(user):
    request = guest_request()
    request.user = user
    return request


# --- cart_get_or_create ---------------------------------------------------------------------


def test_cart_get_or_create_starts_a_session_for_a_new_guest():
    request = guest_request()

    cart = cart_get_or_create(request=request)

    assert request.session.session_key is not None
    assert cart.session_key == request.session.session_key
    assert cart.user is None


def test_cart_get_or_create_returns_the_same_cart_for_the_same_session():
    first = cart_get_or_create(request=guest_request())
    again = cart_get_or_create(request=guest_request(first.session_key))

    assert again.pk == first.pk
    assert Cart.objects.count() == 1


def test_cart_get_or_create_replaces_an_expired_session_key():
    request = guest_request("expired0000000000000000000000000")

    cart = cart_get_or_create(request=request)

    assert cart.session_key != "expired0000000000000000000000000"
    assert cart.session_key == request.session.session_key


def test_cart_get_or_create_gives_a_customer_the_account_cart(customer):
    existing = CartFactory(user=customer, session_key=None)

    cart = cart_get_or_create(request=customer_request(customer))

    assert cart.pk == existing.pk


def test_cart_get_or_create_makes_one_cart_per_customer(customer):
    first = cart_get_or_create(request=customer_request(customer))
    second = cart_get_or_create(request=customer_request(customer))

    assert first.pk == second.pk
    assert first.user == customer
    assert first.session_key is None


# --- cart_add_item --------------------------------------------------------------------------


def test_cart_add_item_creates_a_line_with_name_and_sku(product_in_stock):
    cart = CartFactory()

    line = cart_add_item(cart=cart, product=product_in_stock, quantity=3)

    line.refresh_from_db()
    assert (line.product, line.quantity) == (product_in_stock, 3)
    assert (line.product_name, line.product_sku) == (product_in_stock.name, product_in_stock.sku)


def test_cart_add_item_adds_one_unit_when_quantity_is_not_given(product_in_stock):
    line = cart_add_item(cart=CartFactory(), product=product_in_stock)

    assert line.quantity == 1


def test_cart_add_item_adds_to_the_existing_line(product_in_stock):
    cart = CartFactory()
    cart_add_item(cart=cart, product=product_in_stock, quantity=2)

    cart_add_item(cart=cart, product=product_in_stock, quantity=5)

    assert list(cart.lines.values_list("product_id", "quantity")) == [(product_in_stock.pk, 7)]


def test_cart_add_item_refuses_a_product_out_of_stock(product_out_of_stock):
    cart = CartFactory()

    with pytest.raises(ProductOutOfStock, match=ProductOutOfStock.message):
        cart_add_item(cart=cart, product=product_out_of_stock)

    assert not cart.lines.exists()


def test_cart_add_item_refuses_a_product_whose_stock_is_all_reserved():
    product = StockFactory(quantity=3, reserved=3).product

    with pytest.raises(ProductOutOfStock):
        cart_add_item(cart=CartFactory(), product=product)


def test_cart_add_item_accepts_a_product_on_backorder():
    product = ProductFactory(backorder_days=14)

    line = cart_add_item(cart=CartFactory(), product=product, quantity=2)

    assert line.quantity == 2


def test_cart_add_item_refuses_an_inactive_product():
    product = StockFactory(product__is_active=False).product
    cart = CartFactory()

    with pytest.raises(ProductNotOnSale, match=ProductNotOnSale.message):
        cart_add_item(cart=cart, product=product)

    assert not cart.lines.exists()


def test_cart_add_item_refuses_a_product_taken_off_sale_after_it_was_loaded(product_in_stock):
    Product = type(product_in_stock)
    Product.objects.filter(pk=product_in_stock.pk).update(is_active=False)

    with pytest.raises(ProductNotOnSale):
        cart_add_item(cart=CartFactory(), product=product_in_stock)


@pytest.mark.parametrize("quantity", [0, -1, 100, 1000, True, "2", None, 2.5])
def test_cart_add_item_refuses_a_quantity_outside_1_to_99(product_in_stock, quantity):
    cart = CartFactory()

    with pytest.raises(InvalidQuantity, match=InvalidQuantity.message):
        cart_add_item(cart=cart, product=product_in_stock, quantity=quantity)

    assert not cart.lines.exists()


@pytest.mark.parametrize("quantity", [1, 99])
def test_cart_add_item_accepts_the_bounds(quantity):
    plenty = StockFactory(quantity=500).product
    line = cart_add_item(cart=CartFactory(), product=plenty, quantity=quantity)

    assert line.quantity == quantity


def test_cart_add_item_refuses_to_grow_a_line_past_99():
    plenty = StockFactory(quantity=500).product
    cart = CartFactory()
    cart_add_item(cart=cart, product=plenty, quantity=98)

    with pytest.raises(LineQuantityLimit, match=LineQuantityLimit.message):
        cart_add_item(cart=cart, product=plenty, quantity=2)

    assert cart.lines.get().quantity == 98


def test_cart_add_item_refreshes_the_name_snapshot(product_in_stock):
    cart = CartFactory()
    cart_add_item(cart=cart, product=product_in_stock)
    type(product_in_stock).objects.filter(pk=product_in_stock.pk).update(name="Новое название")

    line = cart_add_item(cart=cart, product=product_in_stock)

    assert line.product_name == "Новое название"


# --- cart_set_quantity / cart_remove_line ---------------------------------------------------


def test_cart_set_quantity_changes_the_line(product_in_stock):
    line = CartLineFactory(product=product_in_stock, quantity=2)

    cart_set_quantity(cart=line.cart, line_id=line.pk, quantity=7)

    line.refresh_from_db()
    assert line.quantity == 7


@pytest.mark.parametrize("quantity", [0, -3, 100])
def test_cart_set_quantity_refuses_a_quantity_outside_1_to_99(product_in_stock, quantity):
    line = CartLineFactory(product=product_in_stock, quantity=2)

    with pytest.raises(InvalidQuantity):
        cart_set_quantity(cart=line.cart, line_id=line.pk, quantity=quantity)

    line.refresh_from_db()
    assert line.quantity == 2


def test_cart_set_quantity_refuses_a_line_of_another_cart(product_in_stock):
    line = CartLineFactory(product=product_in_stock, quantity=2)

    with pytest.raises(CartLineNotFound):
        cart_set_quantity(cart=CartFactory(), line_id=line.pk, quantity=5)

    line.refresh_from_db()
    assert line.quantity == 2


def test_cart_set_quantity_refuses_more_of_a_product_now_out_of_stock(product_out_of_stock):
    line = CartLineFactory(product=product_out_of_stock, quantity=2)

    with pytest.raises(ProductOutOfStock):
        cart_set_quantity(cart=line.cart, line_id=line.pk, quantity=3)


def test_cart_set_quantity_allows_fewer_of_a_product_now_out_of_stock(product_out_of_stock):
    line = CartLineFactory(product=product_out_of_stock, quantity=2)

    cart_set_quantity(cart=line.cart, line_id=line.pk, quantity=1)

    line.refresh_from_db()
    assert line.quantity == 1


def test_cart_remove_line_deletes_it_and_names_the_product(product_in_stock):
    line = CartLineFactory(product=product_in_stock)
    kept = CartLineFactory(cart=line.cart)

    name = cart_remove_line(cart=line.cart, line_id=line.pk)

    assert name == product_in_stock.name
    assert list(line.cart.lines.all()) == [kept]


def test_cart_remove_line_refuses_a_line_of_another_cart():
    line = CartLineFactory()

    with pytest.raises(CartLineNotFound):
        cart_remove_line(cart=CartFactory(), line_id=line.pk)

    assert CartLine.objects.filter(pk=line.pk).exists()


# --- cart_prune -----------------------------------------------------------------------------


def test_cart_prune_removes_the_line_of_a_deleted_product():
    cart = CartFactory()
    doomed = CartLineFactory(cart=cart, product__name="Камера IP 4 Мп")
    kept = CartLineFactory(cart=cart)
    doomed.product.delete()

    removed = cart_prune(cart=cart)

    assert removed == ["Камера IP 4 Мп"]
    assert list(cart.lines.all()) == [kept]


def test_cart_prune_removes_the_line_of_a_product_taken_off_sale(django_capture_on_commit_callbacks):
    cart = CartFactory()
    line = CartLineFactory(cart=cart, product__name="Датчик дыма")
    kept = CartLineFactory(cart=cart)
    with django_capture_on_commit_callbacks(execute=True):
        products_set_active(product_ids=[line.product_id], is_active=False)

    removed = cart_prune(cart=cart)

    assert removed == ["Датчик дыма"]
    assert list(cart.lines.all()) == [kept]


def test_cart_prune_keeps_lines_on_sale_even_when_out_of_stock(product_out_of_stock):
    cart = CartFactory()
    CartLineFactory(cart=cart, product=product_out_of_stock)

    assert cart_prune(cart=cart) == []
    assert cart.lines.count() == 1


def test_cart_prune_leaves_other_carts_alone():
    line = CartLineFactory()
    line.product.delete()

    assert cart_prune(cart=CartFactory()) == []
    assert CartLine.objects.filter(pk=line.pk).exists()


# --- constraints ----------------------------------------------------------------------------


def test_cart_line_quantity_below_one_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CartLineFactory(quantity=0)


def test_cart_line_product_is_unique_within_a_cart():
    line = CartLineFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CartLineFactory(cart=line.cart, product=line.product)


def test_cart_is_unique_per_customer(customer):
    CartFactory(user=customer, session_key=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        CartFactory(user=customer, session_key=None)


def test_cart_is_unique_per_session():
    CartFactory(session_key="a" * 32)

    with pytest.raises(IntegrityError), transaction.atomic():
        CartFactory(session_key="a" * 32)


def test_cart_without_user_or_session_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CartFactory(session_key=None)


@pytest.mark.django_db
class TestCartMergeGuest:
    def test_guest_lines_move_into_the_customer_cart(self, django_user_model):
        from cart.services import cart_merge_guest

        user = django_user_model.objects.create_user(email="merge@example.com", password="x-pass-12345")
        guest = Cart.objects.create(session_key="guest-key")
        shared, only_guest = StockFactory(quantity=50).product, StockFactory(quantity=50).product
        mine = Cart.objects.create(user=user)
        for cart, quantity in ((mine, 2), (guest, 3)):
            CartLine.objects.create(
                cart=cart, product=shared, product_name=shared.name, product_sku=shared.sku, quantity=quantity
            )
        CartLine.objects.create(
            cart=guest, product=only_guest, product_name=only_guest.name, product_sku=only_guest.sku, quantity=1
        )

        assert cart_merge_guest(session_key="guest-key", user=user) == 2

        assert not Cart.objects.filter(pk=guest.pk).exists()
        assert dict(mine.lines.values_list("product_id", "quantity")) == {shared.pk: 5, only_guest.pk: 1}

    def test_merged_quantity_stops_at_the_line_limit(self, django_user_model):
        from cart.services import MAX_QUANTITY, cart_merge_guest

        user = django_user_model.objects.create_user(email="limit@example.com", password="x-pass-12345")
        product = StockFactory(quantity=500).product
        for cart, quantity in ((Cart.objects.create(user=user), 90), (Cart.objects.create(session_key="k"), 50)):
            CartLine.objects.create(
                cart=cart, product=product, product_name=product.name, product_sku=product.sku, quantity=quantity
            )
        cart_merge_guest(session_key="k", user=user)
        assert CartLine.objects.get(cart__user=user).quantity == MAX_QUANTITY

    def test_no_guest_cart_changes_nothing(self, django_user_model):
        from cart.services import cart_merge_guest

        user = django_user_model.objects.create_user(email="none@example.com", password="x-pass-12345")
        assert cart_merge_guest(session_key=None, user=user) == 0
        assert cart_merge_guest(session_key="unknown", user=user) == 0
        assert not Cart.objects.filter(user=user).exists()


# --- what can be delivered ----------------------------------------------------------------


def test_add_above_what_can_be_delivered_is_refused_with_the_number_left():

    product = StockFactory(quantity=3).product
    cart = CartFactory()

    with pytest.raises(QuantityAboveAvailable) as raised:
        cart_add_item(cart=cart, product=product, quantity=4)

    assert raised.value.message == "Доступно только 3 шт."
    assert not cart.lines.exists()


def test_adds_that_together_pass_what_can_be_delivered_are_refused():

    product = StockFactory(quantity=3).product
    cart = CartFactory()
    cart_add_item(cart=cart, product=product, quantity=2)

    with pytest.raises(QuantityAboveAvailable):
        cart_add_item(cart=cart, product=product, quantity=2)

    assert cart.lines.get().quantity == 2


def test_raising_a_quantity_above_what_can_be_delivered_is_refused():

    line = CartLineFactory(product=StockFactory(quantity=3).product, quantity=1)

    with pytest.raises(QuantityAboveAvailable) as raised:
        cart_set_quantity(cart=line.cart, line_id=line.pk, quantity=5)

    assert raised.value.message == "Доступно только 3 шт."
    assert cart_set_quantity(cart=line.cart, line_id=line.pk, quantity=3).quantity == 3


def test_a_product_under_order_takes_any_quantity():

    product = StockFactory(quantity=1, product__backorder_days=7).product

    assert cart_add_item(cart=CartFactory(), product=product, quantity=20).quantity == 20
