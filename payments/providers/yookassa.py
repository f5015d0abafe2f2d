"""YooKassa through its SDK: two-stage payments, refunds and 54-FZ receipts (FFD 1.2).

Every call is made once and bounded by PAYMENT_PROVIDER_TIMEOUT; a notification is trusted only after
its object is read back from the API. The receipt builders at the top are pure: they make no request.
"""

import json
import uuid
from decimal import Decimal

import requests
from django.conf import settings
from urllib3.util import Timeout
from yookassa import Configuration
from yookassa import Payment as YooPayment
from yookassa import Receipt as YooReceipt
from yookassa import Refund as YooRefund
from yookassa.client import ApiClient

from core.money import to_kopecks
from core.vat import VatRate
from payments.models import RefundLine, RefundStatus
from payments.providers.base import (
    DECLINED,
    PENDING,
    REFUND_FAILED,
    SUCCEEDED,
    WAITING_FOR_CAPTURE,
    CreatedPayment,
    Notification,
    NotificationRejected,
    ProviderError,
    RefundResult,
)

NAME = "yookassa"
# YooKassa's vat_code table: 1 без НДС, 2 — 0 %, 3 — 10 %, 4 — 20 %, 7 — 5 %, 8 — 7 %, 11 — 22 %, 12 — 22/122.
# 20 % is no VatRate since 2026, and the calculated rates (22/122) are for advances the shop does not take.
VAT_CODES = {
    VatRate.NO_VAT: 1,
    VatRate.VAT_0: 2,
    VatRate.VAT_10: 3,
    VatRate.VAT_5: 7,
    VatRate.VAT_7: 8,
    VatRate.VAT_22: 11,
}
PAYMENT_STATUSES = {
    "pending": PENDING,
    "waiting_for_capture": WAITING_FOR_CAPTURE,
    "succeeded": SUCCEEDED,
    "canceled": DECLINED,
}
REFUND_STATUSES = {"pending": PENDING, "succeeded": SUCCEEDED, "canceled": REFUND_FAILED}
EVENTS = frozenset({"payment.waiting_for_capture", "payment.succeeded", "payment.canceled", "refund.succeeded"})
PREPAYMENT = "full_prepayment"  # paid online before the goods are handed over
FULL_PAYMENT = "full_payment"  # the goods handed over: the settlement receipt, and refunds after it


def _amount(value: Decimal, currency: str = "RUB") -> dict:
    return {"value": f"{to_kopecks(value):.2f}", "currency": currency}


class ReceiptMismatch(ProviderError):
    """A refund whose receipt items cannot add up to its amount: YooKassa would refuse it on every try."""


def vat_code(rate: str) -> int:
    """Return YooKassa's vat_code of one of the shop's VAT rates."""
    return VAT_CODES[VatRate(str(rate))]


def receipt_customer(order) -> dict:
    """Address the receipt to the email (YooKassa sends receipts only by email), else to the phone."""
    if order.email:
        return {"email": order.email}
    return {"phone": "".join(ch for ch in order.phone if ch.isdigit())}


def receipt_item(*, description: str, quantity: int, unit: Decimal, rate: str, subject: str, mode: str) -> dict:
    """Make one receipt item of `quantity` pieces at `unit` roubles each."""
    return {
        "description": description[:128],
        "quantity": quantity,
        "measure": "piece",
        "amount": _amount(unit),
        "vat_code": vat_code(rate),
        "payment_subject": subject,
        "payment_mode": mode,
    }


def split_items(*, description: str, quantity: int, total: Decimal, rate: str, subject: str, mode: str) -> list[dict]:
    """Make the items of `quantity` pieces costing `total`, so that units × price adds up to it exactly."""
    unit = to_kopecks(Decimal(total) / quantity)
    same = {"description": description, "rate": rate, "subject": subject, "mode": mode}
    if unit * quantity == total:
        return [receipt_item(quantity=quantity, unit=unit, **same)]
    # Kopecks that do not divide evenly go to one last piece priced apart.
    items = [receipt_item(quantity=quantity - 1, unit=unit, **same)] if quantity > 1 else []
    return [*items, receipt_item(quantity=1, unit=to_kopecks(total - unit * (quantity - 1)), **same)]


def _line_items(line, quantity: int, total: Decimal, mode: str) -> list[dict]:
    subject = "service" if line.is_service else "commodity"
    return split_items(
        description=line.name, quantity=quantity, total=total, rate=line.vat_rate, subject=subject, mode=mode
    )


def _delivery_item(order, amount: Decimal, mode: str) -> dict:
    return receipt_item(
        description=f"Доставка: {order.delivery_name}",
        quantity=1,
        unit=to_kopecks(amount),
        rate=order.delivery_vat_rate,
        subject="service",
        mode=mode,
    )


def receipt_items(order, *, mode: str = PREPAYMENT) -> list[dict]:
    """List the order's lines at their prices after discounts, then its delivery, as receipt items."""
    items = []
    for line in order.lines.all():
        items += _line_items(line, line.quantity, line.total, mode)
    if order.delivery_cost:
        items.append(_delivery_item(order, order.delivery_cost, mode))
    return items


def receipt_total(items: list[dict]) -> Decimal:
    """Add up a receipt's items."""
    return sum((Decimal(item["amount"]["value"]) * item["quantity"] for item in items), Decimal("0.00"))


def items_left(payment, *, mode: str, besides=None) -> list[dict]:
    """List what of the order its refunds (pending or made, other than `besides`) have not given back."""
    order = payment.order
    refunds = payment.refunds.exclude(status=RefundStatus.FAILED)
    if besides is not None:
        refunds = refunds.exclude(pk=besides.pk)
    units, money = {}, {}
    for given in RefundLine.objects.filter(refund__in=refunds):
        units[given.order_line_id] = units.get(given.order_line_id, 0) + given.quantity
        money[given.order_line_id] = money.get(given.order_line_id, Decimal(0)) + given.amount
    items = []
    for line in order.lines.all():
        quantity, total = line.quantity - units.get(line.pk, 0), line.total - money.get(line.pk, Decimal(0))
        if quantity > 0 and total > 0:
            items += _line_items(line, quantity, total, mode)
    delivery = order.delivery_cost - sum((refund.delivery for refund in refunds), Decimal(0))
    if delivery > 0:
        items.append(_delivery_item(order, delivery, mode))
    return items


def refund_receipt_items(refund) -> list[dict]:
    """List the refund's own lines and delivery, or else what of the order is left, whichever adds up to it."""
    # A refund after the settlement receipt gives back a full payment, before it a prepayment.
    mode = FULL_PAYMENT if refund.payment.settlement_receipt_id else PREPAYMENT
    items = []
    for refund_line in refund.lines.select_related("order_line"):
        items += _line_items(refund_line.order_line, refund_line.quantity, refund_line.amount, mode)
    if refund.delivery:
        items.append(_delivery_item(refund.order, refund.delivery, mode))
    if receipt_total(items) == refund.amount:
        return items
    # A refund without lines (a cancellation, perhaps after a partial return) gives back all that is left.
    rest = items_left(refund.payment, mode=mode, besides=refund)
    if receipt_total(rest) == refund.amount:
        return rest
    raise ReceiptMismatch(
        f"refund {refund.public_id} of {refund.amount}: its lines and delivery add up to {receipt_total(items)}, "
        f"what is left of the order to {receipt_total(rest)}"
    )


def settlement_receipt(payment) -> dict:
    """Make the receipt of full settlement at handover: what was not refunded, set off against the prepayment."""
    items = items_left(payment, mode=FULL_PAYMENT)
    return {
        "type": "payment",
        "payment_id": payment.external_id,
        "send": True,
        "customer": receipt_customer(payment.order),
        "items": items,
        "settlements": [{"type": "prepayment", "amount": _amount(receipt_total(items), payment.currency)}],
    }


def derived_key(key, action: str) -> str:
    """Derive the Idempotence-Key of a follow-up call (capture, cancel, settle), the same on every retry."""
    return str(uuid.uuid5(uuid.UUID(str(key)), action))


class _BoundedClient(ApiClient):
    """The SDK's client, each request made once and bounded by PAYMENT_PROVIDER_TIMEOUT."""

    def execute(self, body, method, path, query_params, request_headers):
        # The SDK sets no timeout of its own (its `timeout` setting is a retry back-off), so a silent API
        # would hold the worker for ever; a total timeout covers connecting and waiting for the answer.
        with requests.Session() as session:
            return session.request(
                method,
                self.endpoint + path,
                params=query_params,
                headers=request_headers,
                json=body,
                verify=self.configuration.verify,
                timeout=Timeout(total=float(settings.PAYMENT_PROVIDER_TIMEOUT)),
            )


class _Payment(YooPayment):
    def __init__(self):
        self.client = _BoundedClient()


class _Refund(YooRefund):
    def __init__(self):
        self.client = _BoundedClient()


class _Receipt(YooReceipt):
    def __init__(self):
        self.client = _BoundedClient()


def _call(method, *args):
    """Call the SDK; any failure (refusal, 5xx, timeout, broken connection, odd answer) is a ProviderError."""
    Configuration.configure(
        settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY, api_url=settings.YOOKASSA_API_URL, max_attempts=1
    )
    try:
        return method(*args)
    except Exception as error:
        # On a timeout or a broken connection the SDK trips over the missing response: name the real failure.
        real = error.__context__ if isinstance(error.__context__, requests.RequestException) else error
        raise ProviderError(f"YooKassa: {type(real).__name__}: {real}") from real


def _reason(answer) -> str:
    return str(getattr(getattr(answer, "cancellation_details", None), "reason", "") or "")[:255]


def _payment_notification(answer) -> Notification:
    if answer.status not in PAYMENT_STATUSES:
        raise ProviderError(f"YooKassa: unknown payment status {answer.status!r}")
    return Notification(
        external_id=str(answer.id),
        status=PAYMENT_STATUSES[answer.status],
        amount=to_kopecks(str(answer.amount.value)),
        currency=str(answer.amount.currency),
        reason=_reason(answer),
    )


def _refund_status(answer) -> str:
    if answer.status not in REFUND_STATUSES:
        raise ProviderError(f"YooKassa: unknown refund status {answer.status!r}")
    return REFUND_STATUSES[answer.status]


def _refund_notification(answer) -> Notification:
    return Notification(
        external_id=str(answer.id),
        status=_refund_status(answer),
        amount=to_kopecks(str(answer.amount.value)),
        currency=str(answer.amount.currency),
        reason=_reason(answer),
        kind="refund",
    )


def _refund_result(answer) -> RefundResult:
    return RefundResult(external_id=str(answer.id), status=_refund_status(answer), reason=_reason(answer))


ONE_STAGE_METHODS = frozenset({"sbp"})


class YooKassaProvider:
    name = NAME

    def create(self, *, payment, return_url: str) -> CreatedPayment:
        """Register a two-stage card payment (capture false) with its prepayment receipt under the stored key."""
        order = payment.order
        params = {
            "amount": _amount(payment.amount, payment.currency),
            # СБП has no holds in YooKassa: it succeeds at once, and money for an order that can no longer be
            # served is refunded instead (payments.services.notifications._order_paid).
            "capture": payment.method in ONE_STAGE_METHODS,
            "confirmation": {"type": "redirect", "return_url": return_url},
            "description": f"Заказ {order.number}",
            "metadata": {"order_number": order.number, "payment": str(payment.public_id)},
            "receipt": {"customer": receipt_customer(order), "items": receipt_items(order)},
        }
        if payment.method == "sbp":
            params["payment_method_data"] = {"type": "sbp"}
        created = _call(_Payment.create, params, str(payment.idempotence_key))
        return CreatedPayment(external_id=str(created.id), confirmation_url=created.confirmation.confirmation_url)

    def verify(self, *, body: bytes, headers: dict) -> Notification:
        """Read the object a notification names back from the API: the body itself proves nothing."""
        try:
            data = json.loads(body)
            event, external_id = data["event"], data["object"]["id"]
        except (ValueError, KeyError, TypeError):
            raise NotificationRejected("malformed body") from None
        if event not in EVENTS or not isinstance(external_id, str) or not external_id:
            raise NotificationRejected(f"unknown event {str(event)[:50]!r}")
        try:
            if event.startswith("refund."):
                return _refund_notification(_call(_Refund.find_one, external_id))
            return _payment_notification(_call(_Payment.find_one, external_id))
        except ProviderError as error:
            raise NotificationRejected(f"{event} {external_id} not readable from the API: {error}") from None

    def fetch(self, *, payment) -> Notification:
        """Read the payment back from the API."""
        return _payment_notification(_call(_Payment.find_one, payment.external_id))

    def capture(self, *, payment) -> Notification:
        """Take the whole held amount; a retry sends the same key, so the money is taken once."""
        params = {"amount": _amount(payment.amount, payment.currency)}
        key = derived_key(payment.idempotence_key, "capture")
        return _payment_notification(_call(_Payment.capture, payment.external_id, params, key))

    def cancel(self, *, payment) -> Notification:
        """Release the held money to the buyer."""
        key = derived_key(payment.idempotence_key, "cancel")
        return _payment_notification(_call(_Payment.cancel, payment.external_id, key))

    def refund(self, *, refund) -> RefundResult:
        """Give back `refund.amount` under its key, with the receipt of what is given back."""
        payment = refund.payment
        params = {
            "payment_id": payment.external_id,
            "amount": _amount(refund.amount, payment.currency),
            "receipt": {"customer": receipt_customer(refund.order), "items": refund_receipt_items(refund)},
        }
        if refund.reason:
            params["description"] = refund.reason[:250]
        return _refund_result(_call(_Refund.create, params, str(refund.idempotence_key)))

    def fetch_refund(self, *, refund) -> RefundResult:
        """Read the refund back from the API."""
        return _refund_result(_call(_Refund.find_one, refund.external_id))

    def settle(self, *, payment) -> str:
        """Send the settlement receipt (prepayment set off at handover) and return its id, "" if none is due."""
        receipt = settlement_receipt(payment)
        if not receipt["items"]:
            return ""  # all of it was given back: nothing was handed over to settle
        key = derived_key(payment.idempotence_key, "settle")
        return str(_call(_Receipt.create, receipt, key).id)
