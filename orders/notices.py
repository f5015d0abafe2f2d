"""The notices an order's buyer gets (placed, paid, shipped or ready for pickup, cancelled, refunded), told through
the notices app on the channel the buyer chose: email by default, SMS when the order has no email; and the shop's
staff chat about every new order."""

from decimal import Decimal

from django.urls import reverse

from core.emails import absolute_url, email_render, email_send
from core.money import format_rub
from delivery.models import DeliveryKind
from notices.models import Event, Kind
from notices.services import Message, Recipient, notice_send, notice_text, staff_notice_send
from orders.models import Order

SUBJECTS = {
    "placed": "Заказ {number} оформлен",
    "paid": "Заказ {number} оплачен",
    "shipped": "Заказ {number} передан в доставку",
    "ready": "Заказ {number} ждёт вас",
    "cancelled": "Заказ {number} отменён",
    "refunded": "Возврат по заказу {number}",
}
# Handover at a store or a pickup point is «ready for pickup»; a courier or the post «shipped».
COLLECTED = frozenset({DeliveryKind.PICKUP, DeliveryKind.POINT})


def order_link(order: Order) -> str:
    """The order's absolute address for its buyer: the account's page, or a guest's secret link."""
    if order.user_id:
        return absolute_url(reverse("orders:detail", kwargs={"number": order.number}))
    return absolute_url(reverse("orders:secret", kwargs={"number": order.number, "secret": order.secret}))


def greeting_name(full_name: str) -> str:
    """«Ирина Петровна» of «Иванова Ирина Петровна», as a Russian letter greets; the name as given otherwise."""
    parts = full_name.split()
    return " ".join(parts[1:3]) if len(parts) == 3 else full_name.strip()


def handover_notice(order: Order) -> str:
    return "ready" if order.delivery_kind in COLLECTED else "shipped"


def _email_context(order: Order, *, kind: str, amount: str, reason: str) -> dict:
    return {
        "order": order,
        "order_url": order_link(order),
        "name": greeting_name(order.contact_name if order.is_company else order.full_name),
        "amount": Decimal(amount) if amount else None,
        "reason": reason,
        "subject": SUBJECTS[kind].format(number=order.number),
    }


def order_email_send(*, order_id: int, kind: str, amount: str = "", reason: str = "") -> int:
    """Mail the buyer one of the order's notices now; 0 when the order has no email."""
    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    context = _email_context(order, kind=kind, amount=amount, reason=reason)
    return email_send(to=order.email, subject=context["subject"], template=f"order_{kind}", context=context)


def order_notice_text(order: Order, *, kind: str, amount: str = "") -> str:
    """The short text of a notice for SMS and Telegram: the number, the money where it matters, the link."""
    return notice_text(
        event=f"order_{kind}",
        context={
            "number": order.number,
            "total": format_rub(order.total),
            "amount": format_rub(Decimal(amount)) if amount else "",
            "url": order_link(order),
        },
    )


def order_notice_send(*, order_id: int, kind: str, amount: str = "", reason: str = "", event_id: str = "") -> int:
    """Tell the buyer of the order on the channel they chose (email by default, SMS without an email); once per
    kind (a refund once per refund, `event_id`), however often the task runs. A new order is told to the staff chat."""
    order = Order.objects.select_related("user").prefetch_related("lines").get(pk=order_id)
    context = _email_context(order, kind=kind, amount=amount, reason=reason)
    email_text, email_html = email_render(template=f"order_{kind}", context=context) if order.email else ("", "")
    # A refund is its own event: two refunds of the same sum are told twice (an older task has only the sum).
    key = f"order:{order.pk}:{kind}" + (f":{event_id or amount}" if kind == "refunded" else "")
    notice = notice_send(
        key=key,
        event=f"order_{kind}",
        kind=Kind.ORDERS,
        recipient=Recipient(
            user_id=order.user_id,
            email=order.email,
            phone=order.phone or (order.user.phone if order.user_id else "") or "",
        ),
        message=Message(
            text=order_notice_text(order, kind=kind, amount=amount),
            subject=context["subject"],
            email_text=email_text,
            email_html=email_html,
        ),
        target=order,
    )
    if kind == "placed":
        order_staff_notice_send(order=order)
    return 0 if notice is None else 1


def order_staff_notice_send(*, order: Order) -> None:
    """Tell the shop's staff chat about a new order, with its page in the admin."""
    text = notice_text(
        event=Event.STAFF_ORDER,
        context={
            "number": order.number,
            "total": format_rub(order.total),
            "name": order.buyer_name,
            "phone": order.phone,
            "delivery": order.delivery_name,
            "url": absolute_url(reverse("admin:orders_order_change", args=[order.pk])),
        },
    )
    staff_notice_send(key=f"order:{order.pk}:staff", event=Event.STAFF_ORDER, text=text, target=order)
