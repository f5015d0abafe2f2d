"""YooKassa against a local fake of its API (pytest-httpserver): never the real network."""

import json

import pytest
from werkzeug import Response

from orders.models import OrderStatus
from orders.tests.factories import cart_of, place
from payments.exceptions import ProviderUnavailable
from payments.models import Payment, PaymentStatus
from payments.services import payment_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def yookassa(settings, httpserver):
    settings.YOOKASSA_SHOP_ID = "123456"
    settings.YOOKASSA_SECRET_KEY = "test_secret"
    settings.YOOKASSA_API_URL = httpserver.url_for("/v3")
    return httpserver


@pytest.fixture
def order(moscow_delivery, stocked_product):
    return place(
        cart_of((stocked_product("5000.00", quantity=5, product__name="Камера IP-2"), 3)), moscow_delivery["point"]
    )


def yoo_payment(status="pending", amount="15199.00", currency="RUB", external_id="2d5c-yoo-1"):
    return {
        "id": external_id,
        "status": status,
        "paid": status == "succeeded",
        "amount": {"value": amount, "currency": currency},
        "confirmation": {"type": "redirect", "confirmation_url": "https://yoomoney.ru/checkout/payments/v2/contract"},
        "created_at": "2026-11-25T00:00:00.000Z",
        "test": True,
        "refundable": False,
        "metadata": {},
    }


def test_a_failed_call_is_retried_with_the_same_idempotence_key_and_54fz_receipt(yookassa, order):
    keys, bodies = [], []

    def failing(request):
        keys.append(request.headers["Idempotence-Key"])
        return Response(json.dumps({"type": "error", "code": "internal_server_error"}), status=500)

    def answering(request):
        keys.append(request.headers["Idempotence-Key"])
        bodies.append(json.loads(request.data))
        return Response(json.dumps(yoo_payment()), status=200, content_type="application/json")

    yookassa.expect_ordered_request("/v3/payments", method="POST").respond_with_handler(failing)
    yookassa.expect_ordered_request("/v3/payments", method="POST").respond_with_handler(answering)

    with pytest.raises(ProviderUnavailable):
        payment_start(order=order, return_url="http://testserver/orders/")
    stored = Payment.objects.get()
    assert str(stored.idempotence_key) == keys[0]
    assert stored.external_id == ""

    payment = payment_start(order=order, return_url="http://testserver/orders/")

    assert keys == [str(stored.idempotence_key)] * 2
    assert payment.pk == stored.pk
    assert payment.external_id == "2d5c-yoo-1"
    assert payment.confirmation_url == "https://yoomoney.ru/checkout/payments/v2/contract"
    body = bodies[0]
    assert body["amount"] == {"value": "15199.00", "currency": "RUB"}
    items = body["receipt"]["items"]
    assert float(items[0].pop("quantity")) == 3
    assert items[0] == {
        "description": "Камера IP-2",
        "amount": {"value": "5000.00", "currency": "RUB"},
        "vat_code": 11,
        "payment_subject": "commodity",
        "payment_mode": "full_prepayment",
    }
    assert items[1]["payment_subject"] == "service" and items[1]["amount"]["value"] == "199.00"
    assert body["receipt"]["customer"] == {"email": "irina@example.ru"}
    assert payment_start(order=order, return_url="http://testserver/").pk == payment.pk
    assert len(keys) == 2  # a created payment is not sent again


def started(yookassa, order):
    yookassa.expect_request("/v3/payments", method="POST").respond_with_json(yoo_payment())
    return payment_start(order=order, return_url="http://testserver/")


def notify(client, external_id="2d5c-yoo-1"):
    body = {
        "type": "notification",
        "event": "payment.succeeded",
        "object": yoo_payment("succeeded", external_id=external_id),
    }
    return client.post("/payments/webhook/yookassa/", data=json.dumps(body), content_type="application/json")


def test_a_notification_is_trusted_only_after_reading_the_payment_back(client, yookassa, order):
    started(yookassa, order)
    yookassa.expect_request("/v3/payments/2d5c-yoo-1", method="GET").respond_with_json(yoo_payment("pending"))

    notify(client)

    assert Payment.objects.get().status == PaymentStatus.PENDING
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_confirmed_notification_pays_the_order_once(client, yookassa, order):
    started(yookassa, order)
    yookassa.expect_request("/v3/payments/2d5c-yoo-1", method="GET").respond_with_json(yoo_payment("succeeded"))

    for _ in range(3):
        assert notify(client).status_code == 200

    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.history.filter(to_status=OrderStatus.PAID).count() == 1


def test_an_amount_that_differs_in_the_api_changes_nothing(client, yookassa, order):
    started(yookassa, order)
    yookassa.expect_request("/v3/payments/2d5c-yoo-1", method="GET").respond_with_json(
        yoo_payment("succeeded", amount="1.00")
    )

    notify(client)

    assert Payment.objects.get().status == PaymentStatus.PENDING
