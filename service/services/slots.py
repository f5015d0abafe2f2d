"""Slots: taken for a request, moved by staff, made from working hours."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.booking import slot_give_back, slot_take
from core.models import Region
from service.exceptions import (
    SlotTaken,
    SlotUnavailable,
)
from service.models import (
    Crew,
    InstallationRequest,
    ServiceCentre,
    ServiceSlot,
    SlotKind,
    Technician,
)


def service_slot_take(*, slot_id: int, kind: str, region: Region | None = None, centre=None, now=None) -> ServiceSlot:
    """Take a place in a slot that fits the request; SlotUnavailable or SlotTaken otherwise."""
    now = now or timezone.now()
    fitting = _fitting_slots(kind=kind, region=region, centre=centre, now=now)
    chosen = fitting.filter(pk=slot_id).first()
    if chosen is None:
        raise SlotUnavailable
    candidates = [chosen]
    if kind == SlotKind.VISIT:
        # The customer chose a time; another free technician of the region at that time will do as well.
        candidates += list(fitting.filter(starts_at=chosen.starts_at).exclude(pk=chosen.pk).order_by("pk"))
    for slot in candidates:
        if slot_take(model=ServiceSlot, pk=slot.pk):
            return slot
    raise SlotTaken


@transaction.atomic
def service_request_slot_move(*, request, slot: ServiceSlot) -> None:
    """Staff move a request to another slot of the same kind: the new place is taken, the old one given back."""
    locked = type(request).objects.select_for_update().get(pk=request.pk)
    if locked.slot_id == slot.pk:
        return
    if locked.slot_id and locked.slot.kind != slot.kind:
        raise SlotUnavailable
    if not slot_take(model=ServiceSlot, pk=slot.pk):
        raise SlotTaken
    if locked.slot_id:
        slot_give_back(model=ServiceSlot, pk=locked.slot_id)
    locked.slot = slot
    fields = ["slot", "updated_at"]
    if isinstance(locked, InstallationRequest):
        locked.crew = slot.crew
        fields.append("crew")
    locked.save(update_fields=fields)


def _fitting_slots(*, kind, region, centre, now):
    slots = ServiceSlot.objects.filter(kind=kind, starts_at__gt=now).select_related("technician", "centre", "crew")
    if kind == SlotKind.VISIT:
        return slots.filter(technician__regions=region, technician__is_active=True)
    if kind == SlotKind.INSTALL:
        return slots.filter(crew__regions=region, crew__is_active=True)
    return slots.filter(centre=centre, centre__is_active=True)


def _day_starts(owner, day: datetime.date, tz) -> list[tuple[datetime.datetime, datetime.datetime]]:
    if str(day.isoweekday()) not in owner.work_days:
        return []
    start = timezone.make_aware(datetime.datetime.combine(day, owner.work_start), tz)
    end = timezone.make_aware(datetime.datetime.combine(day, owner.work_end), tz)
    step = datetime.timedelta(minutes=owner.slot_minutes)
    times = []
    while start + step <= end:
        times.append((start, start + step))
        start += step
    return times


@transaction.atomic
def service_slots_generate(*, days: int, today: datetime.date | None = None) -> int:
    """Make the next `days` days of slots from each technician's, centre's and crew's working hours.

    Existing slots are kept as they are (with their bookings); running it again adds only what is missing.
    """
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    new = []
    owners = [
        *((SlotKind.VISIT, "technician", t, t.slot_capacity) for t in Technician.objects.filter(is_active=True)),
        *((SlotKind.INSTALL, "crew", c, c.slot_capacity) for c in Crew.objects.filter(is_active=True)),
    ]
    for centre in ServiceCentre.objects.filter(is_active=True):
        owners.append((SlotKind.INTAKE, "centre", centre, centre.slot_capacity))
        owners.append((SlotKind.COURIER, "centre", centre, centre.courier_capacity))
    for offset in range(1, days + 1):
        day = today + datetime.timedelta(days=offset)
        for kind, owner_field, owner, capacity in owners:
            for starts_at, ends_at in _day_starts(owner, day, tz):
                new.append(
                    ServiceSlot(
                        kind=kind, starts_at=starts_at, ends_at=ends_at, capacity=capacity, **{owner_field: owner}
                    )
                )
    before = ServiceSlot.objects.count()
    ServiceSlot.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return ServiceSlot.objects.count() - before
