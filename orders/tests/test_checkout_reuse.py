"""The checkout's reads are kept per cart version for its next steps, and never outlive what they read."""

from decimal import Decimal

import pytest

from catalog.models import Stock
from delivery.tests.factories import region
from orders.models import Order
from orders.selectors import UNDELIVERABLE
from orders.tests.test_views import PAYMENT_URL, URL, courier_order

pytestmark = pytest.mark.django_db


def line_names(response) -> list[str]:
    return [line.product.name for line in response.context["info"].lines]


def test_a_line_removed_from_the_cart_leaves_the_checkout_at_once(client, guest_with_cart):
    client.post(URL, courier_order(action="refresh"))
    lines = list(guest_with_cart.lines.order_by("pk"))
    assert len(line_names(client.get(URL))) == 2

    client.post(f"/cart/line/{lines[0].pk}/remove/")

    assert line_names(client.get(URL)) == [lines[1].product.name]


def test_a_quantity_changed_in_the_cart_shows_at_once(client, guest_with_cart):
    client.post(URL, courier_order(action="refresh"))
    line = guest_with_cart.lines.order_by("pk").first()
    assert client.get(URL).context["result"].pricing.goods == Decimal("12000.00")

    client.post(f"/cart/line/{line.pk}/", {"quantity": 3})

    assert client.get(URL).context["result"].pricing.goods == Decimal("17000.00")


def test_a_price_edited_meanwhile_shows_on_the_next_step(client, guest_with_cart, django_capture_on_commit_callbacks):
    client.post(URL, courier_order(action="refresh"))
    product = guest_with_cart.lines.order_by("pk").first().product

    with django_capture_on_commit_callbacks(execute=True):
        product.price = Decimal("6000.00")
        product.save()

    assert client.get(URL).context["result"].pricing.goods == Decimal("14000.00")


def test_stock_sold_meanwhile_refuses_the_order_and_the_checkout_then_says_so(client, guest_with_cart):
    page = client.post(URL, courier_order(), follow=True)  # «Оплата», its checkout read and kept
    assert page.context["result"].ok
    camera = guest_with_cart.lines.order_by("pk").first().product
    Stock.objects.filter(product=camera).update(quantity=0)

    refused = client.post(PAYMENT_URL, {"payment_method": "card", "expected_total": "12390.00"})

    assert refused.status_code == 200
    assert not Order.objects.exists()
    assert client.get(URL).context["info"].undeliverable == [UNDELIVERABLE.format(name=camera.name)]


def test_the_payment_page_after_the_order_was_placed_does_not_show_the_emptied_cart(client, guest_with_cart):
    client.post(URL, courier_order(), follow=True)
    placed = client.post(PAYMENT_URL, {"payment_method": "card", "expected_total": "12390.00"})
    order = Order.objects.get()
    assert placed.url == f"/orders/{order.number}/"

    assert client.get(PAYMENT_URL).url == "/cart/"
    assert client.get(URL).url == "/cart/"


def offer_kinds(response) -> list[str]:
    return [offer.kind for offer in response.context["info"].offers]


def test_each_region_s_reads_are_kept_apart(client, guest_with_cart):
    client.post(URL, {"region": region("77").pk, "action": "refresh"})
    assert offer_kinds(client.get(URL)) == ["courier", "pickup", "point", "post"]

    client.post(URL, {"region": region("78").pk, "action": "refresh"})
    page = client.get(URL)
    assert page.context["info"].region == region("78")
    assert offer_kinds(page) == ["point"]
    assert [point.name for point in page.context["info"].offer("point").points] == ["ПВЗ Невский"]

    client.post(URL, {"region": region("77").pk, "action": "refresh"})
    page = client.get(URL)
    assert offer_kinds(page) == ["courier", "pickup", "point", "post"]
    assert [point.name for point in page.context["info"].offer("point").points] == ["ПВЗ Тверская"]


def test_a_tariff_changed_meanwhile_delivers_at_the_price_the_buyer_was_shown_then_the_new_one_shows(
    client, guest_with_cart, moscow_delivery
):
    from django.core.cache import caches

    from delivery.models import DeliveryKind, DeliveryTariff

    page = client.post(URL, courier_order(), follow=True)  # «Оплата», the region's reads kept for every cart
    shown = page.context["result"].pricing
    courier = DeliveryTariff.objects.filter(zone=moscow_delivery["zone"], method__kind=DeliveryKind.COURIER)
    courier.update(cost=shown.delivery + 100)

    placed = client.post(PAYMENT_URL, {"payment_method": "card", "expected_total": str(shown.total)})

    order = Order.objects.get()
    assert placed.url == f"/orders/{order.number}/"
    assert (order.delivery_cost, order.total) == (shown.delivery, shown.total)
    caches["catalog"].clear()  # CHECKOUT_SECONDS later: the region is read again
    client.post("/cart/add/", {"product": order.lines.first().product_id})
    assert client.get(URL).context["info"].offer("courier").cost == shown.delivery + 100
