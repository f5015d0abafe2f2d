"""Status moves of an order: one map of allowed moves, each recorded; paying, cancelling and expiry."""

import contextlib
import datetime
import logging

from django.db import transaction
from django.utils import timezone

from catalog.exceptions import StockShort
from catalog.services import stock_release, stock_write_off
from delivery.services import courier_window_release
from loyalty.services import points_earn, points_release, points_spend
from orders.exceptions import OrderNotCancellable, StatusMoveRefused
from orders.models import CANCELLABLE, TRANSITIONS, Order, OrderLine, OrderStatus, OrderStatusChange
from promotions.services import promo_release

logger = logging.getLogger(__name__)

NOT_PAID_IN_TIME = "Не оплачен вовремя — резерв снят"
CANCELLED_BY_BUYER = "Отменён покупателем"


def _author(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def order_set_status(*, order: Order, to: str, author=None, note: str = "") -> Order:
    """Move an order along the transition map and record the move; StatusMoveRefused otherwise.

    The move is a conditional UPDATE on the status it was read with, so two moves at once cannot both pass.
    """
    to = OrderStatus(to)
    if to not in TRANSITIONS[order.status]:
        raise StatusMoveRefused
    now = timezone.now()
    changes = {"status": to, "updated_at": now}
    if to == OrderStatus.PAID:
        changes["paid_at"] = now
    if not Order.objects.filter(pk=order.pk, status=order.status).update(**changes):
        raise StatusMoveRefused
    OrderStatusChange.objects.create(
        order=order, from_status=order.status, to_status=to, author=_author(author), note=note[:255]
    )
    for name, value in changes.items():
        setattr(order, name, value)
    return order


def _lock(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _documents_after_commit(order_id: int) -> None:
    from orders.tasks import enqueue_after_commit, order_documents_task

    enqueue_after_commit(order_documents_task, order_id=order_id)


def _after_paid(order_id: int) -> None:
    from orders.tasks import enqueue_after_commit, order_documents_task, order_paid_email_task

    enqueue_after_commit(order_documents_task, order_id=order_id)
    enqueue_after_commit(order_paid_email_task, order_id=order_id)


@transaction.atomic
def order_mark_paid(*, order_id: int, author=None, note: str = "") -> bool:
    """Record the payment: write the stock off, spend the held points, credit the earned ones.

    True when this call paid the order, False when it was paid before (a repeated notification).
    """
    order = _lock(order_id)
    if order.status != OrderStatus.AWAITING_PAYMENT:
        return False
    try:
        stock_write_off(reference=order.number)
    except StockShort as short:
        # The money is taken: the order is paid all the same, and staff read why the goods must be found.
        logger.error("order %s paid after its reservation was lost: %s", order.number, short.message)
        note = f"{note} Нет резерва: {short.message}".strip()
    order_set_status(order=order, to=OrderStatus.PAID, author=author, note=note)
    if order.points_hold_id:
        points_spend(hold=order.points_hold)
    if order.user_id and order.earns:
        points_earn(user=order.user, amount=order.earns, note=f"Заказ {order.number}")
    _after_paid(order.pk)
    return True


def _release_all(order: Order) -> None:
    stock_release(reference=order.number)
    if order.promo_redemption_id:
        promo_release(redemption_id=order.promo_redemption_id)
    if order.points_hold_id:
        from loyalty.exceptions import HoldAlreadySettled

        with contextlib.suppress(HoldAlreadySettled):
            points_release(hold=order.points_hold)
    if order.window_id and not order.window_released:
        courier_window_release(window_id=order.window_id)
        Order.objects.filter(pk=order.pk).update(window_released=True)


@transaction.atomic
def order_cancel(*, order_id: int, author=None, note: str = CANCELLED_BY_BUYER) -> Order:
    """Cancel before shipping, giving back the stock, the promo use, the points and the courier window."""
    order = _lock(order_id)
    if order.status not in CANCELLABLE:
        raise OrderNotCancellable
    was_paid = order.status == OrderStatus.PAID
    order_set_status(order=order, to=OrderStatus.CANCELLED, author=author, note=note)
    _release_all(order)
    if was_paid:
        logger.warning("paid order %s cancelled: the payment must be refunded", order.number)
    return order


def order_expire_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Cancel every order whose payment did not come before its reservation ran out; their numbers."""
    now = now or timezone.now()
    due = Order.objects.filter(
        status=OrderStatus.AWAITING_PAYMENT, reserved_until__isnull=False, reserved_until__lte=now
    ).order_by("pk")
    cancelled = []
    for order_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            order = _lock(order_id)
            if order.status != OrderStatus.AWAITING_PAYMENT or order.reserved_until > now:
                continue
            order_set_status(order=order, to=OrderStatus.CANCELLED, note=NOT_PAID_IN_TIME)
            _release_all(order)
            cancelled.append(order.number)
    return cancelled


@transaction.atomic
def order_ship(*, order_id: int, author=None, note: str = "") -> Order:
    """Hand the goods to delivery; an order paid on receipt writes its stock off now."""
    order = _lock(order_id)
    order_set_status(order=order, to=OrderStatus.SHIPPED, author=author, note=note)
    stock_write_off(reference=order.number)
    _documents_after_commit(order.pk)
    return order


@transaction.atomic
def order_complete(*, order_id: int, author=None, note: str = "") -> Order:
    """The buyer has the goods (and for payment on receipt, the shop has the money)."""
    order = _lock(order_id)
    order_set_status(order=order, to=OrderStatus.COMPLETED, author=author, note=note)
    if order.paid_at is None:
        Order.objects.filter(pk=order.pk).update(paid_at=timezone.now())
    return order


@transaction.atomic
def order_set_serials(*, line_id: int, serial_numbers: str) -> OrderLine:
    """Staff fill in serial numbers before handover; the warranty card is made again after commit."""
    from orders.tasks import enqueue_after_commit, order_documents_task

    line = OrderLine.objects.select_related("order").get(pk=line_id)
    line.serial_numbers = "\n".join(s.strip() for s in serial_numbers.splitlines() if s.strip())
    line.full_clean()
    line.save(update_fields=["serial_numbers"])
    enqueue_after_commit(order_documents_task, order_id=line.order_id)
    return line
