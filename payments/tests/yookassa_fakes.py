"""YooKassa played by pytest-httpserver for the provider's tests: fixtures, answers and records of requests."""

import json
from decimal import Decimal

from werkzeug import Response

from payments.models import Payment, PaymentStatus, Refund, RefundCause, RefundLine


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


# A payment id as YooKassa shapes them: the SDK refuses a refund of any other.
YOO_ID = "2d5c8e1a-000f-5000-9000-1b2c3d4e5f60"
# YooKassa's documented vat_code of every VAT rate the shop knows (codes 4 — 20 % and 12 — 22/122 have no rate here).
DOCUMENTED_VAT_CODES = {"none": 1, "0": 2, "10": 3, "5": 7, "7": 8, "22": 11}


def held(order, **fields) -> Payment:
    """A payment the bank holds at YooKassa."""
    fields = {"status": PaymentStatus.AUTHORIZED, "external_id": YOO_ID} | fields
    return Payment.objects.create(order=order, provider="yookassa", method="card", amount=order.total, **fields)


def refund_of(payment, *lines, delivery="0", amount=None) -> Refund:
    """A refund of (order line, quantity, amount) triples and some delivery; its amount is their sum by default."""
    total = sum((Decimal(money) for _, _, money in lines), Decimal(delivery))
    refund = Refund.objects.create(
        order=payment.order,
        payment=payment,
        cause=RefundCause.RETURN,
        amount=Decimal(amount) if amount else total,
        delivery=Decimal(delivery),
        provider="yookassa",
        reason="Возврат товара",
    )
    for line, quantity, money in lines:
        RefundLine.objects.create(refund=refund, order_line=line, quantity=quantity, amount=Decimal(money))
    return refund


def yoo_refund(status="succeeded", amount="1000.00", reason=""):
    answer = {
        "id": "2f3a-refund-1",
        "payment_id": YOO_ID,
        "status": status,
        "amount": {"value": amount, "currency": "RUB"},
        "created_at": "2026-11-26T00:00:00.000Z",
    }
    if reason:
        answer["cancellation_details"] = {"party": "yoo_money", "reason": reason}
    return answer


def recording(calls: list, answer: dict, status: int = 200):
    """A handler that answers `answer` and keeps each request's Idempotence-Key and JSON body."""

    def handler(request):
        calls.append({"key": request.headers.get("Idempotence-Key"), "body": json.loads(request.data or b"null")})
        return Response(json.dumps(answer), status=status, content_type="application/json")

    return handler


def item_sum(items) -> Decimal:
    return sum((Decimal(i["amount"]["value"]) * Decimal(str(i["quantity"])) for i in items), Decimal("0.00"))
