"""Every write to payments, by process: starting a payment, applying what the provider reports, capturing or
releasing a hold, refunds, offline payments and reconciliation with the provider."""

from payments.services.capture import payment_settle_hold
from payments.services.notifications import payment_apply, payment_receive
from payments.services.offline import invoice_payment_record, on_receipt_payment_record
from payments.services.reconcile import payments_reconcile
from payments.services.refunds import (
    order_refundable,
    refund_apply,
    refund_confirm,
    refund_create,
    refund_execute,
    refund_retry,
)
from payments.services.settlement import payment_send_settlement
from payments.services.start import payment_start

__all__ = [
    "invoice_payment_record",
    "on_receipt_payment_record",
    "order_refundable",
    "payment_apply",
    "payment_receive",
    "payment_send_settlement",
    "payment_settle_hold",
    "payment_start",
    "payments_reconcile",
    "refund_apply",
    "refund_confirm",
    "refund_create",
    "refund_execute",
    "refund_retry",
]
