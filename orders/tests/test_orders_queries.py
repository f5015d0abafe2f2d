import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.tests.factories import UserFactory
from orders.models import Order
from orders.tests.factories import cart_of, place

pytestmark = pytest.mark.django_db


def orders_of(user, count, moscow_delivery, stocked_product):
    product = stocked_product(quantity=1000)
    first = place(cart_of((product, 1), user=user), moscow_delivery["point"], user=user)
    lines = list(first.lines.all())
    for _ in range(count - 1):
        # Copies of the placed order: the page's cost, not the placement's, is measured.
        copy = Order.objects.get(pk=first.pk)
        copy.pk, copy.number = None, None
        copy.save()
        copy.number = f"2026-{copy.pk:06d}"
        copy.save(update_fields=["number"])
        for line in lines:
            line.pk, line.order = None, copy
            line.save()
    return first


@pytest.mark.parametrize("count", [5, 50])
def test_my_orders_page_costs_the_same_for_5_and_50_orders(
    client, moscow_delivery, stocked_product, django_assert_num_queries, count
):
    user = UserFactory()
    orders_of(user, count, moscow_delivery, stocked_product)
    client.force_login(user)

    # The session comes from the cache (shop/sessions.py).
    with django_assert_num_queries(5):
        response = client.get("/orders/")

    assert response.content.decode().count("/orders/2026-") == count


@pytest.mark.parametrize("lines", [1, 30])
def test_one_order_page_has_a_fixed_query_budget(
    client, moscow_delivery, stocked_product, django_assert_num_queries, lines
):
    user = UserFactory()
    products = [stocked_product(quantity=10) for _ in range(lines)]
    order = place(cart_of(*[(p, 1) for p in products], user=user), moscow_delivery["point"], user=user)
    client.force_login(user)

    # Refunds and returns of the order: one query each, whatever the order holds.
    with django_assert_num_queries(11):
        response = client.get(f"/orders/{order.number}/")

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="order-line"') == lines


def test_guests_see_no_orders_but_their_own(client, moscow_delivery, stocked_product):
    place(cart_of((stocked_product(quantity=5), 1)), moscow_delivery["point"], user=AnonymousUser())

    assert "Заказов пока нет" in client.get("/orders/").content.decode()
