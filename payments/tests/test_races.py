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
    monkeypatch.setattr("orders.tasks.enqueue_after_commit", lambda task, **kwargs: enqueued.append(task.name))
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
    assert enqueued == ["orders.documents", "orders.paid_email"]


def test_payment_start_from_10_tabs_at_once_makes_one_payment(moscow_delivery, stocked_product):
    order = place(cart_of((stocked_product(quantity=3), 1)), moscow_delivery["point"])

    results, errors = race(lambda i: payment_start(order=order, return_url="http://testserver/"), 10)

    assert errors == []
    assert len({p.pk for p in results}) == 1
    assert Payment.objects.count() == 1
