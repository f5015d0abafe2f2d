"""Payments' background work: each task takes ids, loads, calls one service, and is safe to re-run."""

from celery import shared_task

from payments.providers import ProviderError
from payments.services import payment_send_settlement, payment_settle_hold, payments_reconcile, refund_execute


@shared_task(name="payments.refund_execute", time_limit=60, soft_time_limit=50)
def refund_execute_task(*, refund_id: int) -> str:
    """Have the provider make a pending refund (the same idempotence key on every run)."""
    return refund_execute(refund_id=refund_id).status


@shared_task(name="payments.settle_hold", time_limit=60, soft_time_limit=50)
def payment_settle_hold_task(*, payment_id: int) -> str:
    """Capture a held payment, or release the hold of an order that can no longer be served."""
    return payment_settle_hold(payment_id=payment_id).status


@shared_task(
    name="payments.settlement_receipt",
    autoretry_for=(ProviderError,),
    retry_backoff=60,
    max_retries=5,
    time_limit=60,
    soft_time_limit=50,
)
def payment_settlement_task(*, payment_id: int) -> str:
    """Send the receipt of full settlement for goods handed over."""
    return payment_send_settlement(payment_id=payment_id).settlement_receipt_id


@shared_task(name="payments.reconcile", time_limit=600, soft_time_limit=540)
def payments_reconcile_task() -> dict:
    """Read back from the provider every payment and refund that went quiet."""
    return payments_reconcile()
