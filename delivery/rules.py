"""Pure delivery rules: what a parcel weighs, whether a method carries it, what a tariff charges."""

import math
from dataclasses import dataclass
from decimal import Decimal

from core.money import to_kopecks

ZERO = Decimal("0")


@dataclass(frozen=True)
class Parcel:
    weight_kg: Decimal
    longest_side_mm: int


def parcel_of(items: "list[tuple[Decimal | None, list[int | None], int]]") -> Parcel:
    """A parcel from (weight per unit, its sides, quantity) triples; unknown weights count as zero."""
    weight = sum(((w or ZERO) * qty for w, _, qty in items), ZERO)
    side = max((s or 0 for _, sides, _ in items for s in sides), default=0)
    return Parcel(weight_kg=weight, longest_side_mm=side)


def _kg(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def parcel_refusal(*, parcel: Parcel, max_weight_kg: Decimal | None, max_side_mm: int | None) -> str | None:
    """Why a method cannot carry the parcel, or None when it can."""
    if max_weight_kg is not None and parcel.weight_kg > max_weight_kg:
        return (
            f"Заказ весит {_kg(parcel.weight_kg)} кг, а этим способом можно отправить не больше {_kg(max_weight_kg)} кг"
        )
    if max_side_mm is not None and parcel.longest_side_mm > max_side_mm:
        return f"Товар длиной {parcel.longest_side_mm} мм не помещается: этим способом — до {max_side_mm} мм"
    return None


def tariff_cost(*, cost: Decimal, included_kg: Decimal, cost_per_kg: Decimal, weight_kg: Decimal) -> Decimal:
    """A tariff's price for a weight: the base up to the included weight, then per started kilogram."""
    extra = max(weight_kg - included_kg, ZERO)
    return to_kopecks(cost + cost_per_kg * math.ceil(extra))
