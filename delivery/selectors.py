"""Reads for checkout: the methods a region has, their prices and dates, pickup points, courier windows."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from delivery.models import (
    CourierWindow,
    DeliveryKind,
    DeliveryTariff,
    DeliveryZone,
    PickupKind,
    PickupPoint,
    WindowSlot,
)
from delivery.rules import Parcel, parcel_refusal, tariff_cost

COURIER_DAYS_AHEAD = 5


@dataclass
class DeliveryOffer:
    kind: str
    name: str
    description: str
    cost: Decimal
    free_from: Decimal | None
    days: int
    refusal: str | None = None
    points: list[PickupPoint] = field(default_factory=list)

    @property
    def can_carry(self) -> bool:
        """Whether the method takes this parcel."""
        return self.refusal is None


@dataclass(frozen=True)
class WindowChoice:
    date: datetime.date
    slot: str
    label: str
    free: int

    @property
    def value(self) -> str:
        return f"{self.date.isoformat()}|{self.slot}"

    @property
    def is_full(self) -> bool:
        return self.free <= 0


def zone_for_region(*, region_id: int | None) -> DeliveryZone | None:
    if not region_id:
        return None
    return DeliveryZone.objects.filter(zone_regions__region_id=region_id).first()


@dataclass(frozen=True)
class RegionDelivery:
    """A region's active tariffs with their methods, and its pickup points by kind: whatever the parcel."""

    tariffs: list[DeliveryTariff]
    points_by_kind: dict[str, list[PickupPoint]]


def region_delivery(*, zone: DeliveryZone, region_id: int | None) -> RegionDelivery:
    """What `delivery_offers` prices for a parcel; two queries."""
    tariffs = (
        DeliveryTariff.objects.filter(zone=zone, is_active=True, method__is_active=True)
        .select_related("method")
        .order_by("method__position", "method__pk")
    )
    points_by_kind: dict[str, list[PickupPoint]] = {PickupKind.STORE: [], PickupKind.POINT: []}
    for point in PickupPoint.objects.filter(region_id=region_id, is_active=True).order_by("name", "pk"):
        points_by_kind[point.kind].append(point)
    return RegionDelivery(tariffs=list(tariffs), points_by_kind=points_by_kind)


def delivery_offers(
    *,
    zone: DeliveryZone | None,
    region_id: int | None,
    parcel: Parcel,
    ready_days: int,
    delivery: RegionDelivery | None = None,
) -> list[DeliveryOffer]:
    """The methods the region has, priced for the parcel, with the reason a method cannot carry it; two queries
    unless `delivery` holds them already."""
    if zone is None:
        return []
    delivery = delivery or region_delivery(zone=zone, region_id=region_id)
    points_by_kind = delivery.points_by_kind
    offers = []
    for tariff in delivery.tariffs:
        method = tariff.method
        points = []
        if method.kind == DeliveryKind.PICKUP:
            points = points_by_kind[PickupKind.STORE]
        elif method.kind == DeliveryKind.POINT:
            points = points_by_kind[PickupKind.POINT]
        if method.kind in (DeliveryKind.PICKUP, DeliveryKind.POINT) and not points:
            continue
        offers.append(
            DeliveryOffer(
                kind=method.kind,
                name=method.name,
                description=method.description,
                cost=tariff_cost(
                    cost=tariff.cost,
                    included_kg=tariff.included_kg,
                    cost_per_kg=tariff.cost_per_kg,
                    weight_kg=parcel.weight_kg,
                ),
                free_from=tariff.free_from,
                days=ready_days + tariff.transit_days,
                refusal=parcel_refusal(
                    parcel=parcel, max_weight_kg=method.max_weight_kg, max_side_mm=method.max_side_mm
                ),
                points=points,
            )
        )
    return offers


def courier_windows(
    *, zone: DeliveryZone, first_date: datetime.date, days: int = COURIER_DAYS_AHEAD
) -> list[WindowChoice]:
    """Every window of the zone from the first date on, with the places left; one query."""
    last = first_date + datetime.timedelta(days=days - 1)
    booked = {
        (w.date, w.slot): w.free
        for w in CourierWindow.objects.filter(zone=zone, date__range=(first_date, last)).only(
            "date", "slot", "capacity", "booked"
        )
    }
    choices = []
    for offset in range(days):
        date = first_date + datetime.timedelta(days=offset)
        for slot in WindowSlot:
            free = booked.get((date, slot.value), zone.window_capacity)
            choices.append(WindowChoice(date=date, slot=slot.value, label=slot.label, free=free))
    return choices
