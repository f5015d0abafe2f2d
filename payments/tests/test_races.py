"""Notifications racing on a real PostgreSQL: 20 copies of one callback at once."""

import pytest

from core.testing import race
from orders.models import OrderStatus
from orders.tests.factories import cart_of, place
from payments.models import Payment, PaymentEvent, PaymentStatus
from payments.providers.sandbox import sandbox_callback
from payments.services import payment_receive, payment_start

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_callback_20_times_at_once_pays_once(moscow_delivery, stocked_product, monkeypatch):
    enqueued = []
    monkeypatch.setattr("core.jobs.send", lambda task, kwargs: enqueued.append(getattr(task, "name", task)))
    order = place(cart_of((stocked_product(quantity=3), 1)), moscow_delivery["point"])
    payment = payment_start(order=order, return_url="http://testserver/")
    body, headers = sandbox_callback(external_id=payment.external_id, status="succeeded", amount=payment.amount)

    results, errors = race(lambda i: payment_receive(provider_name="sandbox", body=body, headers=headers), 20)

    assert errors == []
    assert sorted(results) == [False] * 19 + [True]
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    assert PaymentEvent.objects.filter(changed=True).count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.history.filter(to_status=OrderStatus.PAID).count() == 1
    assert enqueued == ["orders.email", "orders.documents", "orders.paid_email"]


def test_payment_start_from_10_tabs_at_once_makes_one_payment(moscow_delivery, stocked_product):
    order = place(cart_of((stocked_product(quantity=3), 1)), moscow_delivery["point"])

    results, errors = race(lambda i: payment_start(order=order, return_url="http://testserver/"), 10)

    assert errors == []
    assert len({p.pk for p in results}) == 1
    assert Payment.objects.count() == 1


def _paid(order):
    """Pay an order through the sandbox's two stages, running what comes after commit at once."""
    from payments.providers.sandbox import sandbox_callback as callback

    payment = payment_start(order=order, return_url="http://testserver/")
    body, headers = callback(external_id=payment.external_id, status="waiting_for_capture", amount=payment.amount)
    payment_receive(provider_name="sandbox", body=body, headers=headers)
    return payment


def test_20_staff_refunding_one_order_at_once_make_one_refund(moscow_delivery, stocked_product, monkeypatch):
    from decimal import Decimal

    from payments.exceptions import RefundRefused
    from payments.models import Refund, RefundCause
    from payments.services import refund_create

    monkeypatch.setattr("core.jobs.send", lambda task, kwargs: None)
    order = place(cart_of((stocked_product("5000.00", quantity=3), 1)), moscow_delivery["point"])
    payment = _paid(order)

    def refund(i):
        try:
            return refund_create(order_id=order.pk, amount=payment.amount, cause=RefundCause.MANUAL)
        except RefundRefused:
            return None

    results, errors = race(refund, 20)

    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert Refund.objects.get().amount == payment.amount == Decimal("5199.00")


def test_cancel_racing_a_successful_payment_leaves_no_money_without_an_order(moscow_delivery, stocked_product):
    from catalog.selectors import stock_drift
    from orders.exceptions import OrderError
    from orders.services import order_cancel
    from payments.models import Refund, RefundStatus

    for _ in range(5):
        order = place(cart_of((stocked_product("5000.00", quantity=3), 1)), moscow_delivery["point"])
        payment = payment_start(order=order, return_url="http://testserver/")
        body, headers = sandbox_callback(external_id=payment.external_id, status="succeeded", amount=payment.amount)

        def act(i, order=order, body=body, headers=headers):
            if i == 0:
                try:
                    return order_cancel(order_id=order.pk)
                except OrderError:
                    return None
            return payment_receive(provider_name="sandbox", body=body, headers=headers)

        _, errors = race(act, 2)

        assert errors == []
        order.refresh_from_db()
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.SUCCEEDED
        refunded = Refund.objects.filter(order=order).exclude(status=RefundStatus.FAILED)
        if order.status == OrderStatus.CANCELLED:
            assert [r.amount for r in refunded] == [payment.amount]
        else:
            assert order.status == OrderStatus.PAID
            assert not refunded.exists()
        assert stock_drift() == []
