"""What a customer is told about a product's stock: one pure function every page uses."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Availability:
    code: str
    label: str
    css: str

    @property
    def can_order(self) -> bool:
        return self.code != "out"


IN_STOCK = Availability("in_stock", "В наличии", "success")
LOW = Availability("low", "Мало", "warning")
BACKORDER = Availability("backorder", "Под заказ", "info")
OUT = Availability("out", "Нет в наличии", "secondary")


def availability_status(available: int, backorder_days: int | None) -> Availability:
    """Turn the units free to sell into the label a customer sees."""
    if available > settings.CATALOG_LOW_STOCK:
        return IN_STOCK
    if available > 0:
        return LOW
    if backorder_days:
        return BACKORDER
    return OUT
