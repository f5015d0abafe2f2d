"""Capacity-limited slots (courier windows, technician visits, installation crews): one booking mechanism.

A slot row carries `capacity` and `booked`; a place is taken by one conditional UPDATE
(`booked = booked + n WHERE booked + n <= capacity`), so concurrent buyers never overfill it, and the
database's CheckConstraint `booked <= capacity` is the last guard.
"""

from django.db import models
from django.db.models import F


class CapacitySlot(models.Model):
    capacity = models.PositiveIntegerField("мест")
    booked = models.PositiveIntegerField("занято", default=0)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booked__lte=F("capacity")), name="%(app_label)s_%(class)s_booked_le_capacity"
            ),
        ]

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def is_full(self) -> bool:
        return self.booked >= self.capacity


def slot_take(*, model: type[CapacitySlot], pk: int, places: int = 1) -> bool:
    """Take places in a slot if it still has them; True when taken. Exact under concurrency."""
    if places < 1:
        raise ValueError("places must be positive")
    updated = model.objects.filter(pk=pk, booked__lte=F("capacity") - places).update(booked=F("booked") + places)
    return updated == 1


def slot_give_back(*, model: type[CapacitySlot], pk: int, places: int = 1) -> bool:
    """Return places to a slot; True when returned, False when fewer were taken."""
    if places < 1:
        raise ValueError("places must be positive")
    updated = model.objects.filter(pk=pk, booked__gte=places).update(booked=F("booked") - places)
    return updated == 1
