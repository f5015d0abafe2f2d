"""The notices an order's buyer gets (placed, paid, shipped or ready for pickup, cancelled, refunded): by email, or
by SMS to the order's phone when it has no email."""

from decimal import Decimal

from django.urls import reverse

from accounts.sms import send_sms
from core.emails import absolute_url, email_send
from core.money import format_rub
from delivery.models import DeliveryKind
from orders.models import Order

SUBJECTS = {
    "placed": "Заказ {number} оформлен",
    "paid": "Заказ {number} оплачен",
    "shipped": "Заказ {number} передан в доставку",
    "ready": "Заказ {number} ждёт вас",
    "cancelled": "Заказ {number} отменён",
    "refunded": "Возврат по заказу {number}",
}
# Short enough for two Cyrillic SMS parts with the link; the link tells the rest.
SMS_TEXTS = {
    "placed": "Охрана Плюс: заказ {number} оформлен, к оплате {total}. {url}",
    "paid": "Охрана Плюс: заказ {number} оплачен. {url}",
    "shipped": "Охрана Плюс: заказ {number} передан в доставку. {url}",
    "ready": "Охрана Плюс: заказ {number} ждёт вас в пункте выдачи. {url}",
    "cancelled": "Охрана Плюс: заказ {number} отменён. {url}",
    "refunded": "Охрана Плюс: по заказу {number} возвращено {amount}. {url}",
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


def order_email_send(*, order_id: int, kind: str, amount: str = "", reason: str = "") -> int:
    """Mail the buyer one of the order's notices; 0 when the order has no email."""
    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    context = {
        "order": order,
        "order_url": order_link(order),
        "name": greeting_name(order.contact_name if order.is_company else order.full_name),
        "amount": Decimal(amount) if amount else None,
        "reason": reason,
        "subject": SUBJECTS[kind].format(number=order.number),
    }
    return email_send(to=order.email, subject=context["subject"], template=f"order_{kind}", context=context)


def order_sms_send(*, order_id: int, kind: str, amount: str = "") -> int:
    """Text the order's phone one of its notices; 0 when the order has no phone."""
    order = Order.objects.get(pk=order_id)
    if not order.phone:
        return 0
    text = SMS_TEXTS[kind].format(
        number=order.number,
        total=format_rub(order.total),
        amount=format_rub(Decimal(amount)) if amount else "",
        url=order_link(order),
    )
    send_sms(phone=order.phone, text=text)
    return 1


def order_notice_send(*, order_id: int, kind: str, amount: str = "", reason: str = "") -> int:
    """Tell the buyer of the order: by email when it has one, else by SMS to its phone."""
    if Order.objects.filter(pk=order_id).exclude(email="").exists():
        return order_email_send(order_id=order_id, kind=kind, amount=amount, reason=reason)
    return order_sms_send(order_id=order_id, kind=kind, amount=amount)
