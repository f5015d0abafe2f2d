"""Every write to orders, by process: placement, status moves (payment, handover, cancellation, expiry), returns."""

from orders.services.placement import order_place, reservation_expiry
from orders.services.returns import order_return_accept, order_return_reject, order_return_request, return_pricing
from orders.services.status import (
    order_can_take_payment,
    order_cancel,
    order_complete,
    order_expire_due,
    order_mark_paid,
    order_reopen_for_payment,
    order_secure_for_payment,
    order_set_serials,
    order_set_status,
    order_ship,
)

__all__ = [
    "order_can_take_payment",
    "order_cancel",
    "order_complete",
    "order_expire_due",
    "order_mark_paid",
    "order_place",
    "order_reopen_for_payment",
    "order_return_accept",
    "order_return_reject",
    "order_return_request",
    "order_secure_for_payment",
    "order_set_serials",
    "order_set_status",
    "order_ship",
    "reservation_expiry",
    "return_pricing",
]
