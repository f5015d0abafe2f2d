"""Reconciliation: what the provider knows is read back for every payment and refund that went quiet."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from orders.models import OrderStatus
from payments.models import OFFLINE_PROVIDERS, Payment, PaymentStatus, Refund, RefundStatus
from payments.providers import ProviderError, provider_get

logger = logging.getLogger(__name__)
BATCH = 200
# Past this age a payment is no longer asked about: the provider has expired it and its order is long cancelled.
GIVE_UP_AFTER = datetime.timedelta(days=7)
UNCHANGED = {PaymentStatus.PENDING: "pending", PaymentStatus.AUTHORIZED: "waiting_for_capture"}


def payments_reconcile(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Settle payments and refunds with no news for PAYMENT_RECONCILE_AFTER as their webhook would have, and send
    settlement receipts that failed; counts of what was looked at."""
    from payments.services.capture import payment_settle_hold
    from payments.services.notifications import payment_apply
    from payments.services.refunds import refund_apply, refund_execute
    from payments.services.settlement import payment_send_settlement

    now = now or timezone.now()
    quiet = now - datetime.timedelta(seconds=settings.PAYMENT_RECONCILE_AFTER)
    counts = {"payments": 0, "refunds": 0, "receipts": 0}
    payments = (
        Payment.objects.filter(
            status__in=[PaymentStatus.PENDING, PaymentStatus.AUTHORIZED],
            updated_at__lte=quiet,
            created_at__gte=now - GIVE_UP_AFTER,
        )
        .exclude(external_id="")
        .exclude(provider__in=OFFLINE_PROVIDERS)
        .order_by("pk")[:BATCH]
    )
    for payment in payments:
        counts["payments"] += 1
        provider = provider_get(payment.provider)
        try:
            answer = provider.fetch(payment=payment)
        except ProviderError as error:
            logger.warning("reconcile: %s payment %s unreadable: %s", provider.name, payment.pk, error)
            continue
        if answer.status == UNCHANGED.get(payment.status) and payment.status == PaymentStatus.PENDING:
            # Still on the provider's page: asked again after another quiet period, with nothing recorded.
            Payment.objects.filter(pk=payment.pk, status=payment.status).update(updated_at=now)
            continue
        payment_apply(provider_name=provider.name, notification=answer, body=b"")
        payment.refresh_from_db()
        if payment.status == PaymentStatus.AUTHORIZED:
            payment_settle_hold(payment_id=payment.pk)
    refunds = (
        Refund.objects.filter(status=RefundStatus.PENDING, updated_at__lte=quiet)
        .exclude(provider__in=OFFLINE_PROVIDERS)
        .order_by("pk")[:BATCH]
    )
    for refund in refunds:
        counts["refunds"] += 1
        if not refund.external_id:
            refund_execute(refund_id=refund.pk)
            continue
        provider = provider_get(refund.provider)
        try:
            result = provider.fetch_refund(refund=refund)
        except ProviderError as error:
            logger.warning("reconcile: %s refund %s unreadable: %s", provider.name, refund.pk, error)
            continue
        refund_apply(refund_id=refund.pk, result=result)
    unsettled = (
        Payment.objects.filter(
            status=PaymentStatus.SUCCEEDED,
            settled_at__isnull=True,
            order__status__in=[OrderStatus.SHIPPED, OrderStatus.COMPLETED],
            order__shipped_at__lte=quiet,
        )
        .exclude(provider__in=OFFLINE_PROVIDERS)
        .order_by("pk")[:BATCH]
    )
    for payment in unsettled:
        counts["receipts"] += 1
        try:
            payment_send_settlement(payment_id=payment.pk)
        except ProviderError:
            continue
    return counts
