"""The payments app's part in what happens to an order: it hears the orders app, which may not import it."""

from django.db.models import Q
from django.dispatch import receiver

from core.jobs import enqueue_after_commit
from orders import signals
from payments.models import Payment, PaymentStatus, RefundCause
from payments.services.offline import on_receipt_payment_record
from payments.services.refunds import order_refundable, refund_create

CANCELLED_REFUND = "Заказ отменён"


@receiver(signals.order_cancelled, dispatch_uid="payments.refund_on_cancel")
def refund_on_cancel(sender, order, author=None, **kwargs):
    """A cancelled order gets back everything paid for it, and a hold the bank placed is released."""
    from payments.tasks import payment_settle_hold_task

    for payment_id in Payment.objects.filter(order=order, status=PaymentStatus.AUTHORIZED).values_list("pk", flat=True):
        enqueue_after_commit(payment_settle_hold_task, payment_id=payment_id)
    left = order_refundable(order=order)
    if left > 0:
        refund_create(
            order_id=order.pk,
            amount=left,
            cause=RefundCause.CANCELLATION,
            reason=CANCELLED_REFUND,
            author=author,
            lines=[(line.pk, line.quantity, line.total) for line in order.lines.all()],
            delivery=order.delivery_cost,
            points=order.points,
        )


@receiver(signals.order_shipped, dispatch_uid="payments.settle_on_handover")
def settle_on_handover(sender, order, **kwargs):
    """Goods handed over: the online prepayment is set off by a receipt of full settlement."""
    from payments.tasks import payment_settlement_task

    paid = Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED, settled_at__isnull=True).exclude(
        Q(provider="bank") | Q(provider="on_receipt")
    )
    for payment_id in paid.values_list("pk", flat=True):
        enqueue_after_commit(payment_settlement_task, payment_id=payment_id)


@receiver(signals.order_completed, dispatch_uid="payments.record_on_receipt")
def record_on_receipt(sender, order, **kwargs):
    on_receipt_payment_record(order=order)


@receiver(signals.order_return_accepted, dispatch_uid="payments.refund_on_return")
def refund_on_return(sender, return_request, pricing, **kwargs):
    """Returned goods accepted: their money, with its share of discounts and delivery, goes back."""
    if pricing.amount <= 0:
        return
    refund_create(
        order_id=return_request.order_id,
        amount=pricing.amount,
        cause=RefundCause.RETURN,
        # The buyer's own words stay on the return request, which the account's deletion clears.
        reason=f"Возврат товара по заявке от {return_request.created_at:%d.%m.%Y}",
        author=return_request.author,
        lines=[(line.key, line.quantity, line.amount) for line in pricing.lines],
        delivery=pricing.delivery,
        points=pricing.points,
        return_request=return_request,
    )
