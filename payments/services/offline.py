"""Money taken outside an online provider: a bank transfer against an invoice, cash or card at handover."""

from django.db import transaction
from django.utils import timezone

from orders.exceptions import OrderError
from orders.models import Order, OrderStatus, PaymentMethod
from payments.models import BANK, ON_RECEIPT, Payment, PaymentStatus

NOT_AN_INVOICE = "это не неоплаченный заказ по счёту"
ALREADY_RECORDED = "оплата по этому заказу уже записана"
INVOICE_PAID = "Оплата по счёту получена"


@transaction.atomic
def invoice_payment_record(*, order_id: int, author=None) -> Payment:
    """«Счёт оплачен»: record the transfer and pay the order; a transfer for an order cancelled meanwhile
    revives it when its goods can be reserved again, else stays as money to give back («Требует внимания»)."""
    from payments.services.notifications import _order_paid

    order = Order.objects.select_for_update().get(pk=order_id)
    if order.payment_method != PaymentMethod.INVOICE or order.status not in (
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.CANCELLED,
    ):
        raise OrderError(NOT_AN_INVOICE)
    if Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).exists():
        raise OrderError(ALREADY_RECORDED)
    payment = Payment.objects.create(
        order=order,
        provider=BANK,
        method=PaymentMethod.INVOICE,
        amount=order.total,
        status=PaymentStatus.SUCCEEDED,
        paid_at=timezone.now(),
    )
    _order_paid(payment, author=author, note=INVOICE_PAID)
    return payment


@transaction.atomic
def on_receipt_payment_record(*, order: Order) -> Payment | None:
    """The courier or the store took the money at handover: record it, so a return can be refunded from it."""
    if order.payment_method != PaymentMethod.ON_RECEIPT or not order.total:
        return None
    if Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).exists():
        return None
    return Payment.objects.create(
        order=order,
        provider=ON_RECEIPT,
        method=PaymentMethod.ON_RECEIPT,
        amount=order.total,
        status=PaymentStatus.SUCCEEDED,
        paid_at=timezone.now(),
    )
