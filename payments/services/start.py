"""Starting a payment exactly once per order."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.models import Order
from orders.services import order_mark_paid
from payments.exceptions import (
    OrderNotPayable,
    PaymentNotNeeded,
    PaymentOnHold,
    ProviderUnavailable,
    ReservationExpired,
)
from payments.models import Payment, PaymentStatus
from payments.providers import provider_get

logger = logging.getLogger(__name__)

OPEN = (PaymentStatus.PENDING, PaymentStatus.AUTHORIZED)


def _pending_or_new(order_id: int, provider_name: str) -> Payment | None:
    with transaction.atomic():
        # The order's row serialises every start, so double clicks and two tabs share one payment.
        order = Order.objects.select_for_update().get(pk=order_id)
        if not order.can_pay:
            raise OrderNotPayable
        if order.reserved_until is not None and order.reserved_until <= timezone.now():
            raise ReservationExpired
        if not order.total:
            # Discounts and points paid for everything: nothing to take, the order is paid as it is.
            order_mark_paid(order_id=order.pk, note="Сумма к оплате — 0 ₽")
            return None
        open_payment = Payment.objects.filter(order=order, status__in=OPEN).first()
        if open_payment is not None:
            if open_payment.status == PaymentStatus.AUTHORIZED:
                raise PaymentOnHold
            return open_payment
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
    if payment is None:
        raise PaymentNotNeeded
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
