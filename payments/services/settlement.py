"""54-FZ at handover: the receipt of full settlement that sets off the prepayment the buyer made online."""

import logging

from django.db import transaction
from django.utils import timezone

from payments.models import Payment
from payments.providers import ProviderError, provider_get

logger = logging.getLogger(__name__)


def payment_send_settlement(*, payment_id: int) -> Payment:
    """Send the settlement receipt of a prepaid payment once; a provider that fails is tried again later."""
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    if payment.settled_at is not None or not payment.is_online:
        return payment
    provider = provider_get(payment.provider)
    try:
        receipt_id = provider.settle(payment=payment)
    except ProviderError as error:
        logger.warning("%s could not send the settlement receipt of %s: %s", provider.name, payment.pk, error)
        raise
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk, settled_at__isnull=True).update(
            settlement_receipt_id=(receipt_id or "")[:64], settled_at=timezone.now(), updated_at=timezone.now()
        )
    payment.refresh_from_db()
    return payment
