"""Applying what a provider reports about a payment or a refund, once, whatever order the reports come in."""

import logging

from django.db import transaction
from django.utils import timezone

from orders.exceptions import ReservationLost
from orders.services import order_mark_paid, order_reopen_for_payment
from payments.models import Payment, PaymentEvent, PaymentStatus, RefundCause
from payments.providers import Notification, NotificationRejected, provider_get
from payments.providers.base import DECLINED, SUCCEEDED, WAITING_FOR_CAPTURE

logger = logging.getLogger(__name__)

LATE_PAYMENT_REFUND = "Оплата пришла, когда заказ уже нельзя было выполнить: {reason}"


def _record(provider: str, body: bytes, *, payment=None, status="", accepted=False, changed=False, note=""):
    PaymentEvent.objects.create(
        payment=payment,
        provider=provider,
        status=status[:20],
        accepted=accepted,
        changed=changed,
        note=note[:255],
        body=body.decode("utf-8", "replace")[:5000],
    )


def _order_paid(payment: Payment, *, author=None, note: str = "") -> None:
    """The money is taken: the order is paid, or, when it can no longer be served, the money goes back."""
    from payments.services.refunds import refund_create

    try:
        order_mark_paid(
            order_id=payment.order_id, author=author, note=note or f"Платёж {payment.external_id or payment.public_id}"
        )
    except ReservationLost as lost:
        logger.warning(
            "late payment %s of %s RUB for order %s that cannot be served: refunded",
            payment.public_id,
            payment.amount,
            payment.order.number,
            extra={"order": payment.order.number, "amount": str(payment.amount), "payment": str(payment.public_id)},
        )
        refund_create(
            order_id=payment.order_id,
            amount=payment.amount,
            cause=RefundCause.LATE_PAYMENT,
            reason=LATE_PAYMENT_REFUND.format(reason=lost.message),
        )


def _move(payment: Payment, to: str, **changes) -> bool:
    now = timezone.now()
    moved = Payment.objects.filter(pk=payment.pk, status=payment.status).update(status=to, updated_at=now, **changes)
    if moved:
        payment.status = to
        for name, value in changes.items():
            setattr(payment, name, value)
    return bool(moved)


def _apply_to_payment(payment: Payment, notification: Notification) -> bool:
    status = notification.status
    if status == WAITING_FOR_CAPTURE and payment.status == PaymentStatus.PENDING:
        return _move(payment, PaymentStatus.AUTHORIZED)
    if status == SUCCEEDED and payment.status in (PaymentStatus.PENDING, PaymentStatus.AUTHORIZED):
        changed = _move(payment, PaymentStatus.SUCCEEDED, paid_at=timezone.now())
        if changed:
            _order_paid(payment)
        return changed
    if status == DECLINED and payment.status in (PaymentStatus.PENDING, PaymentStatus.AUTHORIZED):
        held = payment.status == PaymentStatus.AUTHORIZED
        changed = _move(
            payment,
            PaymentStatus.CANCELLED if held else PaymentStatus.DECLINED,
            decline_reason=notification.reason[:255],
        )
        if changed and held:
            # The order kept its goods for this payment; the buyer gets the usual time to pay again.
            order_reopen_for_payment(order_id=payment.order_id)
        return changed
    return False


@transaction.atomic
def payment_apply(*, provider_name: str, notification: Notification, body: bytes = b"") -> bool:
    """Apply a trusted notification once: True when it changed a payment's or a refund's status.

    The same notification repeated, or one whose amount or currency disagrees, changes nothing.
    """
    if notification.kind == "refund":
        from payments.services.refunds import refund_apply_notification

        return refund_apply_notification(provider_name=provider_name, notification=notification, body=body)
    payment = (
        Payment.objects.select_for_update().filter(provider=provider_name, external_id=notification.external_id).first()
    )
    if payment is None:
        logger.warning("%s notification for an unknown payment %s", provider_name, notification.external_id)
        _record(provider_name, body, status=notification.status, note="неизвестный платёж")
        return False
    if notification.amount != payment.amount or notification.currency != payment.currency:
        logger.warning(
            "%s notification for %s: %s %s instead of %s %s",
            provider_name,
            payment.public_id,
            notification.amount,
            notification.currency,
            payment.amount,
            payment.currency,
        )
        _record(provider_name, body, payment=payment, status=notification.status, note="сумма или валюта не совпадают")
        return False
    changed = _apply_to_payment(payment, notification)
    _record(
        provider_name,
        body,
        payment=payment,
        status=notification.status,
        accepted=True,
        changed=changed,
        note="" if changed else "повтор или без изменений",
    )
    return changed


def payment_receive(*, provider_name: str, body: bytes, headers: dict) -> bool:
    """Verify a notification as it came over HTTP and apply it; a forged or stale one is logged only.

    A payment the bank now holds is captured, or its hold released, right away (`payment_settle_hold`).
    """
    from payments.services.capture import payment_settle_hold

    provider = provider_get(provider_name)
    try:
        notification = provider.verify(body=body, headers=headers)
    except NotificationRejected as rejected:
        logger.warning("%s notification rejected: %s", provider_name, rejected)
        _record(provider_name, body, note=f"отклонено: {rejected}")
        return False
    changed = payment_apply(provider_name=provider.name, notification=notification, body=body)
    if notification.kind == "payment" and notification.status == WAITING_FOR_CAPTURE:
        payment = Payment.objects.filter(provider=provider.name, external_id=notification.external_id).first()
        if payment is not None and payment.status == PaymentStatus.AUTHORIZED:
            payment_settle_hold(payment_id=payment.pk)
    return changed
