"""Refunds: records created by one service, never more than was paid, executed by the provider after commit."""

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.jobs import enqueue_after_commit
from core.money import format_rub, to_kopecks
from orders.models import Order
from payments.exceptions import NothingToRefund, RefundNotRetryable, RefundTooMuch
from payments.models import Payment, PaymentStatus, Refund, RefundLine, RefundStatus
from payments.providers import Notification, ProviderError, RefundResult, provider_get
from payments.providers.base import PENDING, REFUND_FAILED, SUCCEEDED

logger = logging.getLogger(__name__)

ZERO = Decimal("0.00")


def _execute_after_commit(refund_id: int) -> None:
    enqueue_after_commit("payments.refund_execute", refund_id=refund_id)


def _paid_payment(order: Order) -> Payment | None:
    return Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).order_by("pk").first()


def order_refundable(*, order: Order) -> Decimal:
    """Money paid for the order and not yet given back or being given back."""
    payment = _paid_payment(order)
    if payment is None:
        return ZERO
    given = Refund.objects.filter(payment=payment).exclude(status=RefundStatus.FAILED).aggregate(s=Sum("amount"))["s"]
    return payment.amount - (given or ZERO)


@transaction.atomic
def refund_create(
    *,
    order_id: int,
    amount: Decimal,
    cause: str,
    reason: str = "",
    author=None,
    lines: list[tuple[int, int, Decimal]] = (),
    delivery: Decimal = ZERO,
    points: int = 0,
    return_request=None,
) -> Refund:
    """Record a refund of the order's payment and have the provider make it after commit.

    The order's row serialises refunds, so twenty staff pressing «Вернуть деньги» at once make one;
    NothingToRefund or RefundTooMuch when it would give back more than was paid.
    `lines` are (order line id, units, money) for the refund receipt.
    """
    order = Order.objects.select_for_update().get(pk=order_id)
    payment = _paid_payment(order)
    amount = to_kopecks(amount)
    left = order_refundable(order=order)
    if payment is None or left <= 0:
        raise NothingToRefund
    if amount <= 0 or amount > left:
        raise RefundTooMuch(RefundTooMuch.message.format(left=format_rub(left)))
    refund = Refund.objects.create(
        order=order,
        payment=payment,
        return_request=return_request,
        cause=cause,
        amount=amount,
        delivery=min(to_kopecks(delivery), amount),
        points=points,
        reason=reason[:255],
        provider=payment.provider,
        author=author if author is not None and getattr(author, "is_authenticated", False) else None,
    )
    RefundLine.objects.bulk_create(
        RefundLine(refund=refund, order_line_id=line_id, quantity=units, amount=money)
        for line_id, units, money in lines
        if units > 0
    )
    logger.warning(
        "refund %s of %s RUB created for order %s (%s)",
        refund.public_id,
        amount,
        order.number,
        cause,
        extra={"order": order.number, "amount": str(amount), "refund": str(refund.public_id)},
    )
    if payment.is_online:
        _execute_after_commit(refund.pk)
    return refund


def _settle(refund: Refund, result: RefundResult) -> bool:
    """Write what the provider says of a (locked) refund; True when its status changed."""
    changes = {"updated_at": timezone.now()}
    if result.external_id and not refund.external_id:
        changes["external_id"] = result.external_id[:64]
    status = refund.status
    if refund.status == RefundStatus.PENDING and result.status == SUCCEEDED:
        status = RefundStatus.SUCCEEDED
        changes["refunded_at"] = timezone.now()
    elif refund.status == RefundStatus.PENDING and result.status == REFUND_FAILED:
        status = RefundStatus.FAILED
        changes["failure_reason"] = (result.reason or "провайдер отказал")[:255]
    changes["status"] = status
    Refund.objects.filter(pk=refund.pk).update(**changes)
    if status != refund.status:
        logger.warning(
            "refund %s of %s RUB for order %s %s%s",
            refund.public_id,
            refund.amount,
            refund.order.number,
            status,
            f": {changes['failure_reason']}" if status == RefundStatus.FAILED else "",
            extra={"order": refund.order.number, "amount": str(refund.amount), "refund": str(refund.public_id)},
        )
    if status == RefundStatus.SUCCEEDED and refund.status != status:
        enqueue_after_commit(
            "orders.email",
            order_id=refund.order_id,
            kind="refunded",
            amount=str(refund.amount),
            event_id=str(refund.public_id),
        )
    return status != refund.status


@transaction.atomic
def refund_apply(*, refund_id: int, result: RefundResult) -> bool:
    """Apply the provider's answer about a refund once."""
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    return _settle(refund, result)


def refund_apply_notification(*, provider_name: str, notification: Notification, body: bytes = b"") -> bool:
    """A trusted refund notification: applied to the refund it names, once; anything else is recorded only."""
    from payments.services.notifications import _record

    refund = (
        Refund.objects.select_for_update().filter(provider=provider_name, external_id=notification.external_id).first()
    )
    if refund is None or notification.amount != refund.amount:
        _record(provider_name, body, status=notification.status, note="неизвестный возврат или другая сумма")
        return False
    changed = _settle(
        refund,
        RefundResult(external_id=notification.external_id, status=notification.status, reason=notification.reason),
    )
    _record(
        provider_name,
        body,
        payment=refund.payment,
        status=f"refund {notification.status}",
        accepted=True,
        changed=changed,
        note="возврат" if changed else "возврат: повтор или без изменений",
    )
    return changed


def refund_execute(*, refund_id: int) -> Refund:
    """Ask the provider to make a pending refund (same idempotence key on every try); safe to re-run."""
    from payments.providers.sandbox import NAME as SANDBOX

    refund = Refund.objects.select_related("payment", "order").get(pk=refund_id)
    if refund.status != RefundStatus.PENDING or not refund.payment.is_online:
        return refund
    provider = provider_get(refund.provider)
    try:
        result = provider.refund(refund=refund)
    except ProviderError as error:
        # Pending without an answer: reconciliation sends it again with the same key.
        logger.warning("%s could not refund %s: %s", provider.name, refund.public_id, error)
        return refund
    refund_apply(refund_id=refund.pk, result=result)
    if provider.name == SANDBOX and result.status == PENDING:
        from payments.providers.sandbox import sandbox_refund_callback
        from payments.services.notifications import payment_receive

        # The sandbox's bank answers at once, with a signed callback like a provider's.
        body, headers = sandbox_refund_callback(external_id=result.external_id, amount=refund.amount)
        payment_receive(provider_name=SANDBOX, body=body, headers=headers)
    refund.refresh_from_db()
    return refund


@transaction.atomic
def refund_retry(*, refund_id: int, author=None) -> Refund:
    """Try a failed refund again, as a new attempt with a new idempotence key, if the money is still owed."""
    import uuid

    refund = Refund.objects.select_for_update().get(pk=refund_id)
    Order.objects.select_for_update().get(pk=refund.order_id)
    if refund.status != RefundStatus.FAILED:
        raise RefundNotRetryable
    if refund.amount > order_refundable(order=refund.order):
        raise RefundTooMuch(RefundTooMuch.message.format(left=format_rub(order_refundable(order=refund.order))))
    Refund.objects.filter(pk=refund.pk).update(
        status=RefundStatus.PENDING,
        idempotence_key=uuid.uuid4(),
        external_id="",
        failure_reason="",
        updated_at=timezone.now(),
    )
    if refund.payment.is_online:
        _execute_after_commit(refund.pk)
    refund.refresh_from_db()
    return refund


@transaction.atomic
def refund_confirm(*, refund_id: int, author=None) -> Refund:
    """Staff gave back offline money (a bank transfer, cash at the store): the refund is done."""
    refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
    if refund.status == RefundStatus.PENDING and not refund.payment.is_online:
        _settle(refund, RefundResult(external_id="", status=SUCCEEDED))
        refund.refresh_from_db()
    return refund
