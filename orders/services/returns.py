"""Returns after delivery: the buyer asks within the return period, staff accept when the goods arrive."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.services import stock_receive
from loyalty.services import points_restore, points_revoke
from orders import signals
from orders.exceptions import (
    ReturnAlreadyDecided,
    ReturnNothingChosen,
    ReturnPeriodOver,
    ReturnRefused,
    ReturnTooMany,
)
from orders.models import Order, OrderLine, OrderStatus, ReturnLine, ReturnRequest, ReturnStatus
from orders.pricing import ReturnPricing, SoldLine, price_return
from orders.selectors import return_units_left


def _check_period(order: Order, now: datetime.datetime) -> None:
    if order.status != OrderStatus.COMPLETED or order.return_deadline is None:
        raise ReturnRefused
    if now > order.return_deadline:
        raise ReturnPeriodOver(ReturnPeriodOver.message.format(days=settings.ORDER_RETURN_DAYS))


@transaction.atomic
def order_return_request(
    *, order_id: int, quantities: dict[int, int], reason: str, now: datetime.datetime | None = None
) -> ReturnRequest:
    """«Вернуть товар»: record which units of a received order the buyer returns and why."""
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order_id)
    _check_period(order, now)
    wanted = {int(line_id): int(units) for line_id, units in quantities.items() if units and int(units) > 0}
    if not wanted:
        raise ReturnNothingChosen
    left = return_units_left(order=order)
    lines = {line.pk: line for line in OrderLine.objects.filter(order=order, pk__in=list(wanted))}
    for line_id, units in sorted(wanted.items()):
        line = lines.get(line_id)
        if line is None or line.is_service:
            raise ReturnNothingChosen
        if units > left.get(line_id, 0):
            raise ReturnTooMany(ReturnTooMany.message.format(name=line.name, left=left.get(line_id, 0)))
    request = ReturnRequest.objects.create(order=order, reason=reason.strip()[:1000])
    ReturnLine.objects.bulk_create(
        ReturnLine(request=request, order_line=lines[line_id], quantity=units)
        for line_id, units in sorted(wanted.items())
    )
    return request


def return_pricing(*, request: ReturnRequest) -> ReturnPricing:
    """What accepting this return gives back: money per line, delivery share, points, earned points revoked."""
    order = request.order
    returning = {rl.order_line_id: rl.quantity for rl in request.lines.all()}
    accepted_before: dict[int, int] = {}
    for rl in ReturnLine.objects.filter(request__order=order, request__status=ReturnStatus.ACCEPTED).exclude(
        request=request
    ):
        accepted_before[rl.order_line_id] = accepted_before.get(rl.order_line_id, 0) + rl.quantity
    sold = [
        SoldLine(
            key=line.pk,
            quantity=line.quantity,
            total=line.total,
            points=line.points,
            returned=returning.get(line.pk, 0),
            returned_before=accepted_before.get(line.pk, 0),
        )
        for line in order.lines.all()
    ]
    return price_return(lines=sold, delivery_cost=order.delivery_cost, earns=order.earns)


@transaction.atomic
def order_return_accept(*, return_id: int, warehouse_id: int, author=None) -> ReturnRequest:
    """The goods came back: put them on hand in the chosen warehouse, give back the points paid for them, take
    back the points earned on them; the payments app hears `order_return_accepted` and refunds the money."""
    request = ReturnRequest.objects.select_related("order").get(pk=return_id)
    order = Order.objects.select_for_update().get(pk=request.order_id)
    request = ReturnRequest.objects.select_for_update().get(pk=return_id)
    if request.status != ReturnStatus.REQUESTED:
        raise ReturnAlreadyDecided
    request.order = order
    pricing = return_pricing(request=request)
    for rl in request.lines.select_related("order_line").order_by("order_line__product_id"):
        if rl.order_line.product_id and not rl.order_line.is_service:
            stock_receive(product_id=rl.order_line.product_id, warehouse_id=warehouse_id, units=rl.quantity)
    author = author if author is not None and getattr(author, "is_authenticated", False) else None
    request.status = ReturnStatus.ACCEPTED
    request.warehouse_id = warehouse_id
    request.author = author
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "warehouse", "author", "decided_at"])
    if order.user_id:
        note = f"Возврат по заказу {order.number}"
        if pricing.points:
            points_restore(user=order.user, amount=pricing.points, note=note)
        if pricing.revoke:
            points_revoke(user=order.user, amount=pricing.revoke, note=note)
    signals.order_return_accepted.send(sender=ReturnRequest, return_request=request, pricing=pricing)
    return request


@transaction.atomic
def order_return_reject(*, return_id: int, author=None, note: str = "") -> ReturnRequest:
    """Refuse a return (the goods did not come, or not as the law allows); the buyer reads the note."""
    request = ReturnRequest.objects.select_for_update().get(pk=return_id)
    if request.status != ReturnStatus.REQUESTED:
        raise ReturnAlreadyDecided
    request.status = ReturnStatus.REJECTED
    request.author = author if author is not None and getattr(author, "is_authenticated", False) else None
    request.note = note[:255]
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "author", "note", "decided_at"])
    return request
