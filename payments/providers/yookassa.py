"""YooKassa through its SDK: a payment created with the stored Idempotence-Key and a 54-FZ receipt;
a notification trusted only after the payment is read back from the API."""

import json
from decimal import Decimal

from django.conf import settings
from yookassa import Configuration
from yookassa import Payment as YooPayment

from core.money import to_kopecks
from payments.providers.base import CreatedPayment, Notification, NotificationRejected

NAME = "yookassa"
# YooKassa's vat_code for each of our VAT rates (22% is 11 since 2026).
VAT_CODES = {"none": 1, "0": 3, "10": 2, "22": 11, "5": 7, "7": 8}
STATUSES = {"succeeded": "succeeded", "canceled": "declined"}


def _configure() -> None:
    Configuration.configure(
        settings.YOOKASSA_SHOP_ID,
        settings.YOOKASSA_SECRET_KEY,
        api_url=settings.YOOKASSA_API_URL,
        max_attempts=1,
    )


def _item(description: str, quantity: int, unit: Decimal, vat_rate: str, subject: str) -> dict:
    return {
        "description": description[:128],
        "quantity": quantity,
        "amount": {"value": f"{unit:.2f}", "currency": "RUB"},
        "vat_code": VAT_CODES[str(vat_rate)],
        "payment_subject": subject,
        "payment_mode": "full_prepayment",
    }


def receipt_items(order) -> list[dict]:
    """The receipt's items: each line at its price after discounts, split so units × price adds up exactly."""
    items = []
    for line in order.lines.all():
        subject = "service" if line.is_service else "commodity"
        unit = to_kopecks(line.total / line.quantity)
        if unit * line.quantity == line.total:
            items.append(_item(line.name, line.quantity, unit, line.vat_rate, subject))
            continue
        if line.quantity > 1:
            items.append(_item(line.name, line.quantity - 1, unit, line.vat_rate, subject))
        items.append(_item(line.name, 1, line.total - unit * (line.quantity - 1), line.vat_rate, subject))
    if order.delivery_cost:
        items.append(_item(f"Доставка: {order.delivery_name}", 1, order.delivery_cost, "22", "service"))
    return items


class YooKassaProvider:
    name = NAME

    def create(self, *, payment, return_url: str) -> CreatedPayment:
        order = payment.order
        customer = {"email": order.email} if order.email else {"phone": order.phone.lstrip("+")}
        params = {
            "amount": {"value": f"{payment.amount:.2f}", "currency": payment.currency},
            "capture": True,
            "confirmation": {"type": "redirect", "return_url": return_url},
            "description": f"Заказ {order.number}",
            "metadata": {"order_number": order.number, "payment": str(payment.public_id)},
            "receipt": {"customer": customer, "items": receipt_items(order)},
        }
        if payment.method == "sbp":
            params["payment_method_data"] = {"type": "sbp"}
        _configure()
        created = YooPayment.create(params, str(payment.idempotence_key))
        return CreatedPayment(external_id=created.id, confirmation_url=created.confirmation.confirmation_url)

    def verify(self, *, body: bytes, headers: dict) -> Notification:
        try:
            external_id = str(json.loads(body)["object"]["id"])
        except (ValueError, KeyError, TypeError):
            raise NotificationRejected("malformed body") from None
        _configure()
        try:
            # The notification itself proves nothing: the payment is read back from the API.
            payment = YooPayment.find_one(external_id)
        except Exception as error:
            raise NotificationRejected(f"payment not readable from the API: {error}") from None
        return Notification(
            external_id=payment.id,
            status=STATUSES.get(payment.status, payment.status),
            amount=Decimal(str(payment.amount.value)),
            currency=payment.amount.currency,
            reason=getattr(getattr(payment, "cancellation_details", None), "reason", "") or "",
        )
