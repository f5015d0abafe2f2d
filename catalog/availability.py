"""What a customer is told about a product's stock: one pure function every page uses."""

from dataclasses import dataclass

from django.conf import settings

from core.text import plural


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


# --- Delivery to a region -------------------------------------------------------------------
# Checkout asks how soon a line can leave the warehouses that serve the buyer's region.

READY_TOMORROW = 1


def lead_days(*, in_region: int, quantity: int, backorder_days: int | None) -> int | None:
    """Days until a line is ready to ship to a region: 1 when its warehouses hold it, the supplier's lead
    time for goods under order, None when it cannot be had."""
    if in_region >= quantity:
        return READY_TOMORROW
    if backorder_days:
        return backorder_days
    return None


def lead_label(days: int) -> str:
    """«завтра», «через 5 дней»."""
    if days <= READY_TOMORROW:
        return "завтра"
    return f"через {plural(days, 'день', 'дня', 'дней')}"
