"""YooKassa against a local fake of its API (pytest-httpserver): never the real network."""

import json
from decimal import Decimal

import pytest
from werkzeug import Response

from core.vat import VatRate
from orders.models import OrderStatus
from payments.exceptions import ProviderUnavailable
from payments.models import Payment, PaymentStatus
from payments.providers.base import Notification, RefundResult
from payments.providers.yookassa import (
    ReceiptMismatch,
    YooKassaProvider,
    derived_key,
    receipt_customer,
    receipt_items,
    receipt_total,
    split_items,
    vat_code,
)
from payments.tests.yookassa_fakes import (
    DOCUMENTED_VAT_CODES,
    YOO_ID,
    held,
    item_sum,
    recording,
    refund_of,
    yoo_payment,
    yoo_refund,
)

pytestmark = pytest.mark.django_db


def test_a_failed_call_is_retried_with_the_same_idempotence_key_and_54fz_receipt(yookassa, order):
    from payments.services import payment_start

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
        "measure": "piece",
        "amount": {"value": "5000.00", "currency": "RUB"},
        "vat_code": 11,
        "payment_subject": "commodity",
        "payment_mode": "full_prepayment",
    }
    assert body["capture"] is False
    assert items[1]["payment_subject"] == "service" and items[1]["amount"]["value"] == "199.00"
    assert body["receipt"]["customer"] == {"email": "irina@example.ru"}
    assert payment_start(order=order, return_url="http://testserver/").pk == payment.pk
    assert len(keys) == 2  # a created payment is not sent again


def started(yookassa, order):
    # Imported here so that the provider's own tests run while the services are being rebuilt.
    from payments.services import payment_start

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


@pytest.mark.parametrize("rate", list(VatRate))
def test_vat_code_of_every_rate_is_yookassas_documented_one(rate):
    assert vat_code(rate) == DOCUMENTED_VAT_CODES[rate.value]


def test_split_items_add_up_to_the_line_total_exactly():
    items = split_items(
        description="Кабель", quantity=3, total=Decimal("100.00"), rate="22", subject="commodity", mode="full_payment"
    )

    assert [(i["quantity"], i["amount"]["value"]) for i in items] == [(2, "33.33"), (1, "33.34")]
    assert receipt_total(items) == Decimal("100.00")
    assert {i["measure"] for i in items} == {"piece"}
    assert {i["payment_mode"] for i in items} == {"full_payment"}


def test_receipt_items_name_goods_commodities_and_delivery_and_services_services(two_line_order):
    two_line_order.lines.filter(name="Блок питания 12 В").update(is_service=True)
    two_line_order.delivery_vat_rate = VatRate.VAT_10

    items = receipt_items(two_line_order)

    assert [(i["description"], i["payment_subject"], i["vat_code"]) for i in items] == [
        ("Камера IP-2", "commodity", 11),
        ("Блок питания 12 В", "service", 11),
        ("Доставка: Пункт выдачи", "service", 3),
    ]
    assert {(i["measure"], i["payment_mode"]) for i in items} == {("piece", "full_prepayment")}
    assert receipt_total(items) == two_line_order.total


def test_receipt_customer_is_the_email_and_the_phone_only_without_one(order):
    assert receipt_customer(order) == {"email": "irina@example.ru"}
    order.email, order.phone = "", "+7 (900) 123-45-67"
    assert receipt_customer(order) == {"phone": "79001234567"}


@pytest.mark.parametrize(("method", "capture"), [("card", False), ("sbp", True)])
def test_create_asks_a_card_for_a_hold_and_sbp_for_payment_at_once(yookassa, order, method, capture):
    calls = []
    yookassa.expect_request("/v3/payments", method="POST").respond_with_handler(
        recording(calls, yoo_payment(external_id=YOO_ID))
    )
    payment = Payment.objects.create(order=order, provider="yookassa", method=method, amount=order.total)

    YooKassaProvider().create(payment=payment, return_url="http://testserver/orders/")

    [call] = calls
    assert call["body"]["capture"] is capture
    assert ("payment_method_data" in call["body"]) is (method == "sbp")


def test_create_asks_for_a_two_stage_payment_under_the_stored_key(yookassa, order):
    calls = []
    yookassa.expect_request("/v3/payments", method="POST").respond_with_handler(
        recording(calls, yoo_payment(external_id=YOO_ID))
    )
    payment = Payment.objects.create(order=order, provider="yookassa", method="card", amount=order.total)

    created = YooKassaProvider().create(payment=payment, return_url="http://testserver/orders/")

    assert created.external_id == YOO_ID
    [call] = calls
    assert call["key"] == str(payment.idempotence_key)
    assert call["body"]["capture"] is False
    assert call["body"]["confirmation"] == {"type": "redirect", "return_url": "http://testserver/orders/"}
    assert call["body"]["metadata"]["payment"] == str(payment.public_id)
    assert item_sum(call["body"]["receipt"]["items"]) == Decimal("15199.00")


def test_capture_takes_the_held_amount_under_a_key_stable_across_retries(yookassa, order):
    payment = held(order)
    calls = []
    yookassa.expect_request(f"/v3/payments/{YOO_ID}/capture", method="POST").respond_with_handler(
        recording(calls, yoo_payment("succeeded", external_id=YOO_ID))
    )

    first = YooKassaProvider().capture(payment=payment)
    YooKassaProvider().capture(payment=payment)

    assert first == Notification(external_id=YOO_ID, status="succeeded", amount=Decimal("15199.00"), currency="RUB")
    assert [c["body"]["amount"] for c in calls] == [{"value": "15199.00", "currency": "RUB"}] * 2
    assert calls[0]["key"] == calls[1]["key"] == derived_key(payment.idempotence_key, "capture")
    assert calls[0]["key"] != str(payment.idempotence_key)


def test_cancel_releases_the_hold_and_reports_it_declined_with_the_reason(yookassa, order):
    payment = held(order)
    answer = yoo_payment("canceled", external_id=YOO_ID) | {
        "cancellation_details": {"party": "merchant", "reason": "canceled_by_merchant"}
    }
    calls = []
    yookassa.expect_request(f"/v3/payments/{YOO_ID}/cancel", method="POST").respond_with_handler(
        recording(calls, answer)
    )

    notification = YooKassaProvider().cancel(payment=payment)

    assert (notification.status, notification.reason) == ("declined", "canceled_by_merchant")
    assert calls[0]["key"] == derived_key(payment.idempotence_key, "cancel")
    assert derived_key(payment.idempotence_key, "cancel") != derived_key(payment.idempotence_key, "capture")


def test_fetch_reads_the_payment_waiting_for_capture(yookassa, order):
    yookassa.expect_request(f"/v3/payments/{YOO_ID}", method="GET").respond_with_json(
        yoo_payment("waiting_for_capture", external_id=YOO_ID)
    )

    assert YooKassaProvider().fetch(payment=held(order)).status == "waiting_for_capture"


def test_a_partial_refund_receipt_lists_only_the_returned_items_and_adds_up(yookassa, two_line_order):
    payment = held(two_line_order)
    supply = two_line_order.lines.get(name="Блок питания 12 В")
    refund = refund_of(payment, (supply, 1, "1000.00"), delivery="199.00")
    calls = []
    yookassa.expect_request("/v3/refunds", method="POST").respond_with_handler(
        recording(calls, yoo_refund("succeeded", "1199.00"))
    )

    result = YooKassaProvider().refund(refund=refund)

    assert result == RefundResult(external_id="2f3a-refund-1", status="succeeded")
    [call] = calls
    assert call["key"] == str(refund.idempotence_key)
    assert call["body"]["payment_id"] == YOO_ID
    assert call["body"]["amount"] == {"value": "1199.00", "currency": "RUB"}
    items = call["body"]["receipt"]["items"]
    assert [(i["description"], float(i["quantity"]), i["amount"]["value"]) for i in items] == [
        ("Блок питания 12 В", 1, "1000.00"),
        ("Доставка: Пункт выдачи", 1, "199.00"),
    ]
    assert item_sum(items) == refund.amount
    assert {i["payment_mode"] for i in items} == {"full_prepayment"}
    assert call["body"]["receipt"]["customer"] == {"email": "irina@example.ru"}


def test_a_refund_after_the_settlement_receipt_returns_a_full_payment(yookassa, two_line_order):
    payment = held(two_line_order, settlement_receipt_id="rc-1")
    camera = two_line_order.lines.get(name="Камера IP-2")
    calls = []
    yookassa.expect_request("/v3/refunds", method="POST").respond_with_handler(recording(calls, yoo_refund()))

    YooKassaProvider().refund(refund=refund_of(payment, (camera, 2, "10000.00")))

    assert [(float(i["quantity"]), i["payment_mode"]) for i in calls[0]["body"]["receipt"]["items"]] == [
        (2, "full_payment")
    ]


def test_a_full_refund_without_lines_lists_the_whole_order(yookassa, two_line_order):
    payment = held(two_line_order)
    calls = []
    yookassa.expect_request("/v3/refunds", method="POST").respond_with_handler(
        recording(calls, yoo_refund("pending", "17199.00"))
    )

    result = YooKassaProvider().refund(refund=refund_of(payment, amount="17199.00"))

    assert result.status == "pending"
    assert [i["description"] for i in calls[0]["body"]["receipt"]["items"]] == [
        "Камера IP-2",
        "Блок питания 12 В",
        "Доставка: Пункт выдачи",
    ]
    assert item_sum(calls[0]["body"]["receipt"]["items"]) == Decimal("17199.00")


def test_a_refund_without_lines_after_a_partial_one_lists_what_is_left_of_the_order(yookassa, two_line_order):
    payment = held(two_line_order)
    camera = two_line_order.lines.get(name="Камера IP-2")
    refund_of(payment, (camera, 1, "5000.00"))
    calls = []
    yookassa.expect_request("/v3/refunds", method="POST").respond_with_handler(recording(calls, yoo_refund()))

    YooKassaProvider().refund(refund=refund_of(payment, amount="12199.00"))

    items = calls[0]["body"]["receipt"]["items"]
    assert [(i["description"], float(i["quantity"]), i["amount"]["value"]) for i in items] == [
        ("Камера IP-2", 2, "5000.00"),
        ("Блок питания 12 В", 2, "1000.00"),
        ("Доставка: Пункт выдачи", 1, "199.00"),
    ]
    assert item_sum(items) == Decimal("12199.00")


def test_a_refund_whose_receipt_cannot_add_up_is_not_sent(yookassa, two_line_order):
    supply = two_line_order.lines.get(name="Блок питания 12 В")
    refund = refund_of(held(two_line_order), (supply, 1, "1000.00"), amount="1500.00")

    with pytest.raises(ReceiptMismatch, match=r"add up to 1000\.00, what is left of the order to 17199\.00"):
        YooKassaProvider().refund(refund=refund)
    assert yookassa.log == []


def test_a_cancelled_refund_fails_with_yookassas_reason(yookassa, two_line_order):
    supply = two_line_order.lines.get(name="Блок питания 12 В")
    refund = refund_of(held(two_line_order), (supply, 1, "1000.00"))
    refund.external_id = "2f3a-refund-1"
    yookassa.expect_request("/v3/refunds/2f3a-refund-1", method="GET").respond_with_json(
        yoo_refund("canceled", reason="insufficient_funds")
    )

    result = YooKassaProvider().fetch_refund(refund=refund)

    assert result == RefundResult(external_id="2f3a-refund-1", status="failed", reason="insufficient_funds")


def test_settle_sends_the_full_payment_receipt_setting_off_the_prepayment(yookassa, two_line_order):
    payment = held(two_line_order, status=PaymentStatus.SUCCEEDED)
    calls = []
    answer = {"id": "rc-2f3a", "type": "payment", "payment_id": YOO_ID, "status": "pending"}
    yookassa.expect_request("/v3/receipts", method="POST").respond_with_handler(recording(calls, answer))

    receipt_id = YooKassaProvider().settle(payment=payment)

    assert receipt_id == "rc-2f3a"
    [call] = calls
    assert call["key"] == derived_key(payment.idempotence_key, "settle")
    body = call["body"]
    assert (body["type"], body["payment_id"], body["send"]) == ("payment", YOO_ID, True)
    assert body["customer"] == {"email": "irina@example.ru"}
    assert body["settlements"] == [{"type": "prepayment", "amount": {"value": "17199.00", "currency": "RUB"}}]
    assert {i["payment_mode"] for i in body["items"]} == {"full_payment"}
    assert item_sum(body["items"]) == Decimal("17199.00")


def test_settle_after_a_partial_refund_sets_off_only_what_was_handed_over(yookassa, two_line_order):
    payment = held(two_line_order, status=PaymentStatus.SUCCEEDED)
    supply = two_line_order.lines.get(name="Блок питания 12 В")
    refund_of(payment, (supply, 2, "2000.00"))
    calls = []
    answer = {"id": "rc-2f3a", "type": "payment", "payment_id": YOO_ID, "status": "pending"}
    yookassa.expect_request("/v3/receipts", method="POST").respond_with_handler(recording(calls, answer))

    YooKassaProvider().settle(payment=payment)

    body = calls[0]["body"]
    assert [i["description"] for i in body["items"]] == ["Камера IP-2", "Доставка: Пункт выдачи"]
    assert body["settlements"] == [{"type": "prepayment", "amount": {"value": "15199.00", "currency": "RUB"}}]


def test_settle_of_a_payment_given_back_in_full_sends_nothing(yookassa, order):
    payment = held(order, status=PaymentStatus.SUCCEEDED)
    refund_of(payment, (order.lines.get(), 3, "15000.00"), delivery="199.00")

    assert YooKassaProvider().settle(payment=payment) == ""
    assert yookassa.log == []
