"""Status moves of an order: one map of allowed moves, each recorded; payment, handover, cancellation, expiry.

Stock leaves at handover: a paid order keeps its reservation (with no expiry) until «Передан в доставку»
writes it off, so cancelling before shipment gives every unit back (Saleor decreases stock at fulfilment).
"""

import contextlib
import datetime
import logging

from django.db import transaction
from django.utils import timezone

from catalog.availability import serving_warehouse_ids
from catalog.exceptions import StockShort
from catalog.models import ReservationState, StockReservation
from catalog.services import StockRequest, stock_extend, stock_release, stock_reserve, stock_write_off
from core.jobs import enqueue_after_commit
from delivery.services import courier_window_release, courier_window_retake
from loyalty.exceptions import HoldAlreadySettled, PointsError
from loyalty.services import points_earn, points_hold, points_release, points_restore, points_spend
from orders import signals
from orders.exceptions import (
    OrderError,
    OrderNotCancellable,
    ReservationLost,
    StatusMoveRefused,
)
from orders.models import (
    CANCELLABLE,
    TRANSITIONS,
    DocumentKind,
    Order,
    OrderDocument,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
)
from orders.services.documents import order_documents_cancel, order_documents_request
from promotions.services import promo_release, promo_restore

logger = logging.getLogger(__name__)

NOT_PAID_IN_TIME = "Не оплачен вовремя — резерв снят"
CANCELLED_BY_BUYER = "Отменён покупателем"
REVIVED = "Оплата пришла после отмены — заказ восстановлен"


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
    elif to == OrderStatus.SHIPPED:
        changes["shipped_at"] = now
    elif to == OrderStatus.COMPLETED:
        changes["received_at"] = now
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
    order_documents_request(order_id=order_id)


def _notify_after_commit(order_id: int, kind: str, reason: str = "") -> None:
    enqueue_after_commit("orders.email", order_id=order_id, kind=kind, reason=reason)


def _after_paid(order_id: int) -> None:
    order_documents_request(order_id=order_id)
    enqueue_after_commit("orders.paid_email", order_id=order_id)


def _stock_requests(order: Order) -> list[StockRequest]:
    lines = OrderLine.objects.filter(order=order, is_service=False, product__isnull=False).select_related("product")
    return [
        StockRequest(
            product_id=line.product_id,
            name=line.name,
            quantity=line.quantity,
            backorder=bool(line.product.backorder_days),
        )
        for line in lines
    ]


def _reservation_intact(order: Order, now: datetime.datetime) -> bool:
    """Every unit the order reserved is still held for it (none released, none expired)."""
    rows = StockReservation.objects.filter(reference=order.number)
    if rows.filter(state=ReservationState.RELEASED).exists():
        return False
    return not rows.filter(state=ReservationState.HELD, expires_at__lte=now).exists()


def _reserve_again(order: Order, now: datetime.datetime) -> None:
    """Reserve the order's goods afresh, until handover; StockShort when they are no longer there."""
    stock_release(reference=order.number)
    stock_reserve(
        requests=_stock_requests(order),
        warehouse_ids=serving_warehouse_ids(region_id=order.region_id),
        reference=order.number,
        expires_at=None,
        now=now,
    )


def _hold_until_handover(order: Order, now: datetime.datetime) -> None:
    if _reservation_intact(order, now):
        stock_extend(reference=order.number, expires_at=None)
    else:
        _reserve_again(order, now)
    Order.objects.filter(pk=order.pk).update(reserved_until=None)
    order.reserved_until = None


def _take_again(order: Order) -> None:
    """Take back what a cancellation gave away: promo use, points, courier window; ReservationLost if one is gone."""
    if order.promo_redemption_id and not promo_restore(redemption_id=order.promo_redemption_id):
        raise ReservationLost("Промокод больше не действует")
    released = order.points_hold_id is None or order.points_hold.settlements.filter(kind="released").exists()
    if order.points and order.user_id and released:
        try:
            hold = points_hold(user=order.user, amount=order.points, note=f"Заказ {order.number}")
        except PointsError as error:
            raise ReservationLost(error.message) from error
        Order.objects.filter(pk=order.pk).update(points_hold=hold)
        order.points_hold = hold
    if order.window_id and order.window_released:
        if not courier_window_retake(window_id=order.window_id):
            raise ReservationLost("Окно доставки уже занято")
        Order.objects.filter(pk=order.pk).update(window_released=False)
        order.window_released = False


def order_can_take_payment(*, order: Order) -> bool:
    """Whether money arriving now may be kept for this order: it awaits payment, or it was cancelled only
    because the payment came late (never one the buyer or the shop cancelled)."""
    if order.status == OrderStatus.AWAITING_PAYMENT:
        return True
    if order.status != OrderStatus.CANCELLED:
        return False
    last = order.history.order_by("-created_at", "-pk").first()
    return last is not None and last.to_status == OrderStatus.CANCELLED and last.note == NOT_PAID_IN_TIME


@transaction.atomic
def order_secure_for_payment(*, order_id: int, now: datetime.datetime | None = None) -> Order:
    """Make sure the order can be served before its money is taken: the goods reserved until handover (again,
    if the reservation ran out), and for an order cancelled for non-payment, its promo use, points and window
    taken again. ReservationLost (nothing changed) when that is no longer possible."""
    now = now or timezone.now()
    order = _lock(order_id)
    if not order_can_take_payment(order=order):
        logger.warning("order %s no longer awaits payment", order.number, extra={"order": order.number})
        raise ReservationLost("Заказ больше не ожидает оплаты")
    try:
        with transaction.atomic():
            if order.status == OrderStatus.CANCELLED:
                _take_again(order)
            _hold_until_handover(order, now)
    except StockShort as short:
        logger.warning("order %s lost its reservation: %s", order.number, short.message, extra={"order": order.number})
        raise ReservationLost(short.message) from short
    return order


@transaction.atomic
def order_mark_paid(*, order_id: int, author=None, note: str = "") -> bool:
    """Record the payment: the reservation is held until handover and the held points are spent.

    True when this call paid the order, False when it had been paid before (a repeated notification).
    ReservationLost when the order can no longer be served; the caller gives the money back.
    Points for the purchase are credited when the buyer receives it (`order_complete`).
    """
    order = _lock(order_id)
    if order.status in (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED):
        return False
    revived = order.status == OrderStatus.CANCELLED
    order_secure_for_payment(order_id=order.pk)
    order.refresh_from_db()
    order_set_status(order=order, to=OrderStatus.PAID, author=author, note=f"{note} {REVIVED}" if revived else note)
    logger.warning(
        "order %s paid: %s RUB (%s)",
        order.number,
        order.total,
        note,
        extra={"order": order.number, "amount": str(order.total)},
    )
    if revived:
        # The invoice annulled with the order stands again: it is what the buyer paid.
        OrderDocument.objects.filter(order=order, kind=DocumentKind.INVOICE).update(cancelled_at=None)
    if order.points_hold_id:
        with contextlib.suppress(HoldAlreadySettled):
            points_spend(hold=order.points_hold)
    _after_paid(order.pk)
    return True


def _release_all(order: Order) -> None:
    stock_release(reference=order.number)
    if order.promo_redemption_id:
        promo_release(redemption_id=order.promo_redemption_id)
    if order.points_hold_id:
        with contextlib.suppress(HoldAlreadySettled):
            points_release(hold=order.points_hold)
    if order.window_id and not order.window_released:
        courier_window_release(window_id=order.window_id)
        Order.objects.filter(pk=order.pk).update(window_released=True)
        order.window_released = True


def _points_spent(order: Order) -> bool:
    return bool(order.points_hold_id) and order.points_hold.settlements.filter(kind="spent").exists()


@transaction.atomic
def order_cancel(*, order_id: int, author=None, note: str = CANCELLED_BY_BUYER) -> Order:
    """Cancel before shipping: stock, promo use, points and courier window go back; money paid is refunded
    (the payments app hears `order_cancelled` in this transaction and records the refund)."""
    order = _lock(order_id)
    if order.status not in CANCELLABLE:
        raise OrderNotCancellable
    spent = _points_spent(order)
    order_set_status(order=order, to=OrderStatus.CANCELLED, author=author, note=note)
    _release_all(order)
    order_documents_cancel(order=order)
    if spent and order.user_id:
        points_restore(user=order.user, amount=order.points, note=f"Отмена заказа {order.number}")
    signals.order_cancelled.send(sender=Order, order=order, author=_author(author))
    _notify_after_commit(order.pk, "cancelled")
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
            order_documents_cancel(order=order)
            # A hold the bank placed meanwhile is released by the payments app.
            signals.order_cancelled.send(sender=Order, order=order, author=None)
            _notify_after_commit(order.pk, "cancelled", reason="не оплачен вовремя, резерв снят")
            cancelled.append(order.number)
    return cancelled


@transaction.atomic
def order_ship(*, order_id: int, author=None, note: str = "") -> Order:
    """Hand the goods over to delivery (or to the buyer at a store): the stock leaves now."""
    order = _lock(order_id)
    order_set_status(order=order, to=OrderStatus.SHIPPED, author=author, note=note)
    try:
        stock_write_off(reference=order.number)
    except StockShort as short:
        raise OrderError(f"Нечего передавать: {short.message}. Найдите товар или отмените заказ.") from short
    signals.order_shipped.send(sender=Order, order=order)
    _documents_after_commit(order.pk)
    from orders.notices import handover_notice

    _notify_after_commit(order.pk, handover_notice(order))
    return order


@transaction.atomic
def order_complete(*, order_id: int, author=None, note: str = "") -> Order:
    """The buyer has the goods (and for payment on receipt, the shop has the money): points are credited."""
    order = _lock(order_id)
    order_set_status(order=order, to=OrderStatus.COMPLETED, author=author, note=note)
    if order.paid_at is None:
        order.paid_at = order.received_at
        Order.objects.filter(pk=order.pk).update(paid_at=order.paid_at)
    if order.points_hold_id:
        with contextlib.suppress(HoldAlreadySettled):
            points_spend(hold=order.points_hold)
    if order.user_id and order.earns:
        points_earn(user=order.user, amount=order.earns, note=f"Заказ {order.number}")
    signals.order_completed.send(sender=Order, order=order)
    return order


@transaction.atomic
def order_set_serials(*, line_id: int, serial_numbers: str) -> OrderLine:
    """Staff fill in serial numbers before handover; the warranty card is made again after commit."""
    line = OrderLine.objects.select_related("order").get(pk=line_id)
    line.serial_numbers = "\n".join(s.strip() for s in serial_numbers.splitlines() if s.strip())
    line.full_clean()
    line.save(update_fields=["serial_numbers"])
    order_documents_request(order_id=line.order_id)
    return line


@transaction.atomic
def order_reopen_for_payment(*, order_id: int, now: datetime.datetime | None = None) -> Order:
    """A hold the bank dropped: an unpaid online order gets the usual time to pay again, then expires as usual;
    a cancelled one that was being revived for it gives back again what it had taken."""
    from orders.services.placement import ONLINE_HOLD

    now = now or timezone.now()
    order = _lock(order_id)
    if order.status == OrderStatus.CANCELLED:
        _release_all(order)
        return order
    if order.status == OrderStatus.AWAITING_PAYMENT and order.is_online and order.reserved_until is None:
        order.reserved_until = now + ONLINE_HOLD
        Order.objects.filter(pk=order.pk).update(reserved_until=order.reserved_until)
        stock_extend(reference=order.number, expires_at=order.reserved_until)
    return order
