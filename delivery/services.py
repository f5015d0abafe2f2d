"""Every write to delivery: booking and releasing a courier window through core.booking."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.booking import slot_give_back, slot_take
from delivery.exceptions import WindowFull, WindowInPast
from delivery.models import CourierWindow, DeliveryZone, WindowSlot


def _window(zone: DeliveryZone, date: datetime.date, slot: str) -> CourierWindow:
    """The window's row, created with the zone's capacity the first time anyone books it."""
    window = CourierWindow.objects.filter(zone=zone, date=date, slot=slot).first()
    if window is not None:
        return window
    try:
        with transaction.atomic():
            return CourierWindow.objects.create(zone=zone, date=date, slot=slot, capacity=zone.window_capacity)
    except IntegrityError:
        # Another buyer created it a moment ago.
        return CourierWindow.objects.get(zone=zone, date=date, slot=slot)


@transaction.atomic
def courier_window_book(
    *, zone: DeliveryZone, date: datetime.date, slot: str, today: datetime.date | None = None
) -> CourierWindow:
    """Take one place in a courier window; WindowFull when none is left, exact under concurrency."""
    today = today or timezone.localdate()
    if date <= today:
        raise WindowInPast
    WindowSlot(slot)
    window = _window(zone, date, slot)
    if not slot_take(model=CourierWindow, pk=window.pk):
        raise WindowFull
    window.refresh_from_db(fields=["booked"])
    return window


@transaction.atomic
def courier_window_release(*, window_id: int) -> bool:
    """Give a place back to a window (an order cancelled or not paid in time)."""
    return slot_give_back(model=CourierWindow, pk=window_id)


@transaction.atomic
def courier_window_retake(*, window_id: int) -> bool:
    """Take again the place an order had given back (a late payment revives it); False when the window is full."""
    return slot_take(model=CourierWindow, pk=window_id)
