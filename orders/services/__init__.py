"""Every write to orders, by process: placement, then status moves (payment, cancellation, expiry)."""

from orders.services.placement import order_place, reservation_expiry
from orders.services.status import (
    order_cancel,
    order_complete,
    order_expire_due,
    order_mark_paid,
    order_set_serials,
    order_set_status,
    order_ship,
)

__all__ = [
    "order_cancel",
    "order_complete",
    "order_expire_due",
    "order_mark_paid",
    "order_place",
    "order_set_serials",
    "order_set_status",
    "order_ship",
    "reservation_expiry",
]
