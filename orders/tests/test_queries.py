"""Cart and checkout pages read a fixed number of queries, whatever the number of lines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from cart.models import Cart
from cart.services import cart_touch
from cart.tests.factories import CartFactory, CartLineFactory
from delivery.tests.factories import region
from loyalty.services import points_earn
from orders.models import Order
from promotions.tests.factories import PromoCodeFactory

pytestmark = pytest.mark.django_db

# The user (the session comes from the cache), the lines with cart, product and availability, first images
# (the menu is cached by then).
CART_BUDGET = 3
# Session, user, cart, lines with products, warehouses, regions, zone, tariffs, pickup points, windows,
# promo code with its scope, customer's uses, points balance and earn rate, the header's count.
CHECKOUT_BUDGET = 20
# The checkout's POST and «Оплата» after the page, its reads kept with the region and the regions' list:
# user, cart, promo code with its scope, the header's count.
CHECKOUT_REUSED_BUDGET = 7


@pytest.fixture
def customer(client, stocked_product):
    def make(lines: int):
        user = UserFactory(region=region("77"))
        points_earn(user=user, amount=500)
        cart = CartFactory(user=user, session_key=None)
        for _ in range(lines):
            CartLineFactory(cart=cart, product=stocked_product("1000.00"), quantity=1)
        client.force_login(user)
        return user

    return make


def count_queries(client, method: str, url: str, data=None) -> int:
    # The first request after a login writes the session; count a steady page view.
    getattr(client, method)(url, data or {})
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302)
    return len(queries)


@pytest.mark.parametrize("lines", [1, 30])
def test_cart_page_budget(client, customer, lines):
    customer(lines)

    assert count_queries(client, "get", "/cart/") == CART_BUDGET


def test_cart_page_queries_do_not_grow_with_lines(client, customer):
    customer(1)
    one = count_queries(client, "get", "/cart/")
    client.logout()
    customer(30)

    assert count_queries(client, "get", "/cart/") == one


def checkout_state(user, client):
    PromoCodeFactory(code="WELCOME10")
    client.post(
        "/checkout/",
        {
            "region": region("77").pk,
            "delivery": "courier",
            "promo_code": "WELCOME10",
            "points": "100",
            "full_name": "Иванова Ирина",
            "email": "irina@example.ru",
            "action": "refresh",
        },
    )


@pytest.mark.parametrize("lines", [1, 30])
def test_checkout_page_budget(client, customer, lines):
    checkout_state(customer(lines), client)

    assert count_queries(client, "get", "/checkout/") <= CHECKOUT_BUDGET
    response = client.get("/checkout/")
    assert len(response.context["result"].pricing.lines) == lines
    assert response.context["result"].promo is not None


def test_checkout_page_queries_do_not_grow_with_lines(client, customer):
    checkout_state(customer(1), client)
    one = count_queries(client, "get", "/checkout/")
    client.logout()
    PromoCodeFactory._meta.model.objects.all().delete()
    checkout_state(customer(30), client)

    assert count_queries(client, "get", "/checkout/") == one


# The placement re-reads the cart's checkout in its transaction (the region's reads as the page kept them), so
# the confirm reads it once, not twice: user, cart and its lock, lines, units, windows, points, order,
# reservation, courier window, lines, status, cart emptied, session, and the savepoints of the test's transaction.
CONFIRM_BUDGET = 32


def confirm_queries(client, user) -> int:
    client.post(
        "/checkout/",
        {
            "region": region("77").pk,
            "delivery": "courier",
            "full_name": "Иванова Ирина",
            "email": "irina@example.ru",
            "phone": "+79161234567",
            "courier_address": "Москва, ул. Тверская, 1",
            "action": "refresh",
        },
    )
    page = client.get("/checkout/")
    window = page.context["info"].windows[0].value
    client.post("/checkout/", {**page.context["result"].form.data, "window": window, "action": "pay"})
    total = client.get("/checkout/payment/").context["result"].pricing.total
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/checkout/payment/", {"payment_method": "on_receipt", "expected_total": str(total)})
    assert response.status_code == 302
    assert Order.objects.filter(user=user).count() == 1
    return len(queries)


def test_confirm_places_the_order_within_its_budget_whatever_the_number_of_lines(client, customer):
    one = confirm_queries(client, customer(1))
    client.logout()
    ten = confirm_queries(client, customer(10))

    assert one <= CONFIRM_BUDGET, one
    # The stock rows are locked, written and reserved by one query each, the lines inserted by one.
    assert ten <= one, (one, ten)


def test_the_page_read_again_for_the_same_cart_reuses_the_checkout_it_read(client, customer):
    user = customer(3)
    checkout_state(user, client)
    cart_touch(cart=Cart.objects.get(user=user))  # the cart changed: the next page reads it afresh
    with CaptureQueriesContext(connection) as fresh:
        client.get("/checkout/")
    with CaptureQueriesContext(connection) as again:
        response = client.get("/checkout/")

    assert len(fresh) <= CHECKOUT_BUDGET
    assert len(again) <= CHECKOUT_REUSED_BUDGET
    assert len(response.context["result"].pricing.lines) == 3


# The steps after the page, its reads kept: user, cart, the header's count («Оплата» only) and the session
# written (the POST only, in a transaction of its own).
POST_AFTER_PAGE_BUDGET = 5
PAYMENT_AFTER_PAGE_BUDGET = 3


def test_the_post_and_the_payment_page_after_the_page_read_neither_the_region_nor_the_checkout_again(client, customer):
    user = customer(3)
    client.post("/checkout/", {"region": region("77").pk, "full_name": "Иванова Ирина", "email": user.email})
    page = client.get("/checkout/")
    data = {**page.context["result"].form.data, "delivery": "pickup", "action": "pay"}
    data["pickup_point"] = page.context["info"].offer("pickup").points[0].pk
    with CaptureQueriesContext(connection) as post:
        sent = client.post("/checkout/", data)
    with CaptureQueriesContext(connection) as payment:
        shown = client.get("/checkout/payment/")

    assert sent.url == "/checkout/payment/"
    assert shown.status_code == 200
    assert shown.context["info"].region == region("77")
    assert len(post) <= POST_AFTER_PAGE_BUDGET, [q["sql"][:80] for q in post.captured_queries]
    assert len(payment) <= PAYMENT_AFTER_PAGE_BUDGET, [q["sql"][:80] for q in payment.captured_queries]


# A cart's page read afresh in a region whose reads another checkout kept (warehouses, zone, tariffs, pickup
# points, earn rate, the regions' list): the user, the last address, the cart, its lines and units, the courier
# windows, the points balance and the header's count.
REGION_KEPT_BUDGET = 8


def test_a_fresh_checkout_in_a_region_another_checkout_read_reads_only_its_own_cart(client, customer):
    customer(2)
    assert client.get("/checkout/").status_code == 200  # the region's reads are kept from here on
    client.logout()
    other = customer(3)
    client.get("/checkout/")  # the first page after a login writes the session
    cart_touch(cart=Cart.objects.get(user=other))  # the cart changed: its own reads are read afresh
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/checkout/")

    assert len(queries) <= REGION_KEPT_BUDGET, [q["sql"][:80] for q in queries.captured_queries]
    info = response.context["info"]
    assert len(info.lines) == 3
    assert info.region == region("77")
    assert [offer.kind for offer in info.offers] == [offer.kind for offer in response.context["result"].offers]
    assert info.offers and info.regions


# The page read again by a customer who has sent nothing yet (the form filled from the profile and the last
# courier address, which the checkout's reads keep): the user, the cart and the header's count.
PROFILE_PAGE_AGAIN_BUDGET = 3


def test_the_page_filled_from_the_profile_read_again_reads_neither_the_checkout_nor_the_last_address(client, customer):
    customer(3)
    client.get("/checkout/")  # the first page after a login writes the session
    client.get("/checkout/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/checkout/")

    assert response.status_code == 200
    assert len(queries) <= PROFILE_PAGE_AGAIN_BUDGET, [q["sql"][:80] for q in queries.captured_queries]
