"""Every write to payments: starting one exactly once per order, and applying what the provider reports."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.models import Order, OrderStatus
from orders.services import order_mark_paid
from payments.exceptions import OrderNotPayable, ProviderUnavailable, ReservationExpired
from payments.models import Payment, PaymentEvent, PaymentStatus
from payments.providers import Notification, NotificationRejected, provider_get

logger = logging.getLogger(__name__)

SUCCEEDED = "succeeded"
DECLINED = "declined"


def _pending_or_new(order_id: int, provider_name: str) -> Payment:
    with transaction.atomic():
        # The order's row serialises every start, so double clicks and two tabs share one payment.
        order = Order.objects.select_for_update().get(pk=order_id)
        if not order.can_pay:
            raise OrderNotPayable
        if order.reserved_until is not None and order.reserved_until <= timezone.now():
            raise ReservationExpired
        pending = Payment.objects.filter(order=order, status=PaymentStatus.PENDING).first()
        if pending is not None:
            return pending
        return Payment.objects.create(
            order=order, provider=provider_name, method=order.payment_method, amount=order.total
        )


def payment_start(*, order: Order, return_url: str, provider_name: str | None = None) -> Payment:
    """The order's pending payment, created and registered with the provider if there is none yet.

    The payment row and its idempotence key are committed before the provider is called, and a
    retry after a failed call sends the same key, so the provider makes one payment of it.
    """
    provider = provider_get(provider_name)
    try:
        payment = _pending_or_new(order.pk, provider.name)
    except IntegrityError:
        payment = Payment.objects.get(order=order, status=PaymentStatus.PENDING)
    if payment.external_id:
        return payment
    try:
        created = provider.create(payment=payment, return_url=return_url)
    except Exception as error:
        # The payment and its key stay: the next attempt sends the same key, so nothing is charged twice.
        logger.warning("%s could not create payment %s: %s", provider.name, payment.public_id, error)
        raise ProviderUnavailable from error
    Payment.objects.filter(pk=payment.pk, external_id="").update(
        external_id=created.external_id, confirmation_url=created.confirmation_url, updated_at=timezone.now()
    )
    payment.refresh_from_db()
    return payment


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


@transaction.atomic
def payment_apply(*, provider_name: str, notification: Notification, body: bytes = b"") -> bool:
    """Apply a trusted notification once: True when it changed the payment's status.

    The same notification repeated, or one whose amount or currency disagrees, changes nothing.
    """
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
    changed = False
    if notification.status == SUCCEEDED and payment.status == PaymentStatus.PENDING:
        changed = bool(
            Payment.objects.filter(pk=payment.pk, status=payment.status).update(
                status=PaymentStatus.SUCCEEDED, paid_at=timezone.now(), updated_at=timezone.now()
            )
        )
        if changed and not order_mark_paid(order_id=payment.order_id, note=f"Платёж {payment.external_id}"):
            order = Order.objects.get(pk=payment.order_id)
            if order.status == OrderStatus.CANCELLED:
                logger.error("payment %s succeeded for cancelled order %s: refund it", payment.pk, order.number)
    elif notification.status == DECLINED and payment.status == PaymentStatus.PENDING:
        changed = bool(
            Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
                status=PaymentStatus.DECLINED, decline_reason=notification.reason, updated_at=timezone.now()
            )
        )
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
    """Verify a notification as it came over HTTP and apply it; a forged or stale one is logged only."""
    provider = provider_get(provider_name)
    try:
        notification = provider.verify(body=body, headers=headers)
    except NotificationRejected as rejected:
        logger.warning("%s notification rejected: %s", provider_name, rejected)
        _record(provider_name, body, note=f"отклонено: {rejected}")
        return False
    return payment_apply(provider_name=provider.name, notification=notification, body=body)
