import datetime

import pytest

from accounts.tests.factories import UserFactory
from orders.selectors import add_months, customer_purchases
from orders.services import order_mark_paid, order_set_serials
from orders.tests.factories import cart_of, place


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 25), 24, datetime.date(2028, 11, 25)),
        (datetime.date(2026, 12, 15), 12, datetime.date(2027, 12, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.django_db
def test_customer_purchases_are_paid_goods_with_serials_and_warranty(moscow_delivery, stocked_product):
    user = UserFactory()
    camera = stocked_product(quantity=5, product__name="Камера IP-2", product__warranty_months=24)
    paid = place(cart_of((camera, 1), user=user), moscow_delivery["point"], user=user)
    order_mark_paid(order_id=paid.pk)
    order_set_serials(line_id=paid.lines.get().pk, serial_numbers="SN-7")
    from cart.tests.factories import CartLineFactory

    CartLineFactory(cart=user.carts.get(), product=camera, quantity=1)
    place(user.carts.get(), moscow_delivery["point"], user=user)  # placed, not paid

    purchases = customer_purchases(user=user)

    assert len(purchases) == 1
    purchase = purchases[0]
    assert (purchase.order_number, purchase.name, purchase.serials) == (paid.number, "Камера IP-2", ("SN-7",))
    assert purchase.warranty_until == add_months(purchase.purchased_on, 24)
    assert purchase.under_warranty(purchase.purchased_on + datetime.timedelta(days=700))
    assert not purchase.under_warranty(purchase.warranty_until + datetime.timedelta(days=1))
    assert customer_purchases(user=UserFactory()) == []
