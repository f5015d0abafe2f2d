"""Two-stage payments: the bank holds the money; the shop takes it only for an order it can still serve."""

import dataclasses
import logging

from django.db import transaction

from orders.exceptions import ReservationLost
from orders.services import order_secure_for_payment
from payments.models import Payment, PaymentStatus
from payments.providers import ProviderError, provider_get

logger = logging.getLogger(__name__)


def payment_settle_hold(*, payment_id: int) -> Payment:
    """Capture a held payment when its order can still be served (its goods reserved until handover, again if
    the reservation ran out), else release the hold, so no money is taken for nothing.

    A provider that fails or hangs leaves the payment held; reconciliation tries again.
    """
    from payments.services.notifications import payment_apply

    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status != PaymentStatus.AUTHORIZED:
            return payment
        try:
            order_secure_for_payment(order_id=payment.order_id)
        except ReservationLost as lost:
            capture, reason = False, lost.message
        else:
            capture, reason = True, ""
    provider = provider_get(payment.provider)
    try:
        answer = provider.capture(payment=payment) if capture else provider.cancel(payment=payment)
    except ProviderError as error:
        logger.warning(
            "%s could not %s payment %s: %s", provider.name, "capture" if capture else "cancel", payment.pk, error
        )
        return payment
    if not capture and not answer.reason:
        answer = dataclasses.replace(answer, reason=reason)
    payment_apply(provider_name=provider.name, notification=answer, body=b"")
    payment.refresh_from_db()
    if not capture:
        logger.warning(
            "hold of payment %s of %s RUB released for order %s: %s",
            payment.public_id,
            payment.amount,
            payment.order.number,
            reason,
            extra={"order": payment.order.number, "amount": str(payment.amount), "payment": str(payment.public_id)},
        )
    return payment
