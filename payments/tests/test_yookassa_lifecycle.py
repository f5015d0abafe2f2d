"""The after-sale paths through YooKassa's fake (pytest-httpserver): a lost webhook settled by reconciliation,
a cancelled paid order refunded, a settlement receipt at handover, a provider that hangs."""

import datetime
import json
import time

import pytest
from django.utils import timezone
from werkzeug import Response

from catalog.selectors import stock_drift
from orders.models import OrderStatus
from orders.services import order_cancel, order_ship
from orders.tests.factories import cart_of, place
from payments.exceptions import ProviderUnavailable
from payments.models import Payment, PaymentStatus, Refund, RefundStatus
from payments.services import payment_receive, payment_start, payments_reconcile

pytestmark = pytest.mark.django_db

YOO_ID = "2d5c8e1a-000f-5000-9000-1b2c3d4e5f60"
REFUND_ID = "2f3a9b1c-0015-5000-8000-1a2b3c4d5e6f"


@pytest.fixture
def yookassa(settings, httpserver):
    settings.YOOKASSA_SHOP_ID = "123456"
    settings.YOOKASSA_SECRET_KEY = "test_secret"
    settings.YOOKASSA_API_URL = httpserver.url_for("/v3")
    settings.PAYMENT_PROVIDER_TIMEOUT = 0.5
    return httpserver


def answer(data: dict, status: int = 200):
    return Response(json.dumps(data), status=status, content_type="application/json")


def yoo_payment(status: str, amount: str):
    return {
        "id": YOO_ID,
        "status": status,
        "paid": status in ("succeeded", "waiting_for_capture"),
        "amount": {"value": amount, "currency": "RUB"},
        "confirmation": {"type": "redirect", "confirmation_url": "https://yoomoney.ru/checkout/payments/v2/contract"},
        "created_at": "2026-12-07T00:00:00.000Z",
        "test": True,
        "refundable": status == "succeeded",
        "metadata": {},
    }


@pytest.fixture
def order(moscow_delivery, stocked_product):
    return place(cart_of((stocked_product("5000.00", quantity=5), 2)), moscow_delivery["point"])


def started(yookassa, order) -> Payment:
    yookassa.expect_oneshot_request("/v3/payments", method="POST").respond_with_json(
        yoo_payment("pending", f"{order.total:.2f}")
    )
    return payment_start(order=order, return_url="http://testserver/")


def test_a_lost_webhook_is_settled_by_reconciliation_which_captures_the_hold(yookassa, order, after_commit):
    payment = started(yookassa, order)
    amount = f"{order.total:.2f}"
    yookassa.expect_request(f"/v3/payments/{YOO_ID}", method="GET").respond_with_json(
        yoo_payment("waiting_for_capture", amount)
    )
    captured = []
    yookassa.expect_request(f"/v3/payments/{YOO_ID}/capture", method="POST").respond_with_handler(
        lambda request: captured.append(json.loads(request.data)) or answer(yoo_payment("succeeded", amount))
    )

    # Nothing for a few minutes: too early to ask.
    assert payments_reconcile()["payments"] == 0
    later = timezone.now() + datetime.timedelta(minutes=10)
    after_commit(lambda: payments_reconcile(now=later))

    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
    assert [c["amount"] for c in captured] == [{"value": amount, "currency": "RUB"}]
    assert stock_drift() == []


def test_a_webhook_for_a_hold_captures_it_and_a_cancel_refunds_through_the_api(yookassa, order, after_commit):
    payment = started(yookassa, order)
    amount = f"{order.total:.2f}"
    yookassa.expect_oneshot_request(f"/v3/payments/{YOO_ID}", method="GET").respond_with_json(
        yoo_payment("waiting_for_capture", amount)
    )
    yookassa.expect_oneshot_request(f"/v3/payments/{YOO_ID}/capture", method="POST").respond_with_json(
        yoo_payment("succeeded", amount)
    )
    body = json.dumps({"type": "notification", "event": "payment.waiting_for_capture", "object": {"id": YOO_ID}})
    after_commit(lambda: payment_receive(provider_name="yookassa", body=body.encode(), headers={}))
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED

    refunds = []
    yookassa.expect_request("/v3/refunds", method="POST").respond_with_handler(
        lambda request: (
            refunds.append((request.headers["Idempotence-Key"], json.loads(request.data)))
            or answer(
                {
                    "id": REFUND_ID,
                    "payment_id": YOO_ID,
                    "status": "succeeded",
                    "amount": {"value": amount, "currency": "RUB"},
                    "created_at": "2026-12-07T00:00:00.000Z",
                }
            )
        )
    )
    after_commit(lambda: order_cancel(order_id=order.pk))

    refund = Refund.objects.get()
    assert (refund.status, refund.external_id) == (RefundStatus.SUCCEEDED, REFUND_ID)
    [(key, sent)] = refunds
    assert key == str(refund.idempotence_key)
    assert sent["payment_id"] == YOO_ID
    assert sent["amount"] == {"value": amount, "currency": "RUB"}
    assert payment.pk == refund.payment_id
    assert stock_drift() == []


def test_handover_sends_the_settlement_receipt_of_the_prepayment(yookassa, order, after_commit):
    payment = started(yookassa, order)
    amount = f"{order.total:.2f}"
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.AUTHORIZED)
    yookassa.expect_oneshot_request(f"/v3/payments/{YOO_ID}/capture", method="POST").respond_with_json(
        yoo_payment("succeeded", amount)
    )
    from payments.services import payment_settle_hold

    after_commit(lambda: payment_settle_hold(payment_id=payment.pk))
    receipts = []
    yookassa.expect_request("/v3/receipts", method="POST").respond_with_handler(
        lambda request: (
            receipts.append(json.loads(request.data))
            or answer({"id": "rcpt-1", "type": "payment", "status": "pending", "payment_id": YOO_ID, "items": []})
        )
    )

    after_commit(lambda: order_ship(order_id=order.pk))

    payment.refresh_from_db()
    assert payment.settlement_receipt_id == "rcpt-1"
    [receipt] = receipts
    assert receipt["type"] == "payment"
    assert receipt["settlements"] == [{"type": "prepayment", "amount": {"value": amount, "currency": "RUB"}}]
    assert {item["payment_mode"] for item in receipt["items"]} == {"full_payment"}


def test_a_provider_that_hangs_leaves_the_order_waiting_for_payment(yookassa, order):
    def silent(request):
        time.sleep(2)
        return answer(yoo_payment("pending", "1.00"))

    yookassa.expect_request("/v3/payments", method="POST").respond_with_handler(silent)

    with pytest.raises(ProviderUnavailable):
        payment_start(order=order, return_url="http://testserver/")

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    payment = Payment.objects.get()
    assert (payment.status, payment.external_id) == (PaymentStatus.PENDING, "")
