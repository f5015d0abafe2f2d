"""Making an order's documents, again whenever asked: each run overwrites what the last one made."""

from django.core.mail import send_mail
from django.db.models import Count, Q
from django.urls import reverse

from orders.documents import document_render, document_save, documents_due
from orders.models import Order, OrderDocument, OrderStatus, Seller

PAID_SUBJECT = "Заказ {number} оплачен"
PAID_BODY = (
    "Здравствуйте!\n\nЗаказ {number} на сумму {total} ₽ оплачен. Документы — на странице заказа: {url}\n\nОхрана Плюс"
)


def order_documents_make(*, order_id: int) -> list[str]:
    """Render every document the order has by now; the kinds made."""
    order = Order.objects.select_related("region").prefetch_related("lines").get(pk=order_id)
    seller = Seller.objects.first()
    made = []
    for kind in documents_due(order):
        document_save(order=order, kind=kind, pdf=document_render(order=order, kind=kind, seller=seller))
        made.append(kind)
    return made


def orders_missing_documents(*, limit: int = 200) -> list[int]:
    """Orders that should have documents but have fewer than due (a worker was down): ids to make again."""
    candidates = (
        Order.objects.exclude(status=OrderStatus.CANCELLED)
        .filter(Q(payment_method="invoice") | Q(paid_at__isnull=False))
        .annotate(made=Count("documents"))
        .order_by("pk")
    )
    missing = []
    for order in candidates.prefetch_related("lines").iterator(chunk_size=200):
        if order.made < len(documents_due(order)):
            missing.append(order.pk)
            if len(missing) >= limit:
                break
    return missing


def order_paid_email(*, order_id: int) -> int:
    """Tell the buyer the order is paid."""
    order = Order.objects.get(pk=order_id)
    if not order.email:
        return 0
    url = reverse("orders:detail", kwargs={"number": order.number})
    return send_mail(
        PAID_SUBJECT.format(number=order.number),
        PAID_BODY.format(number=order.number, total=order.total, url=url),
        None,
        [order.email],
    )


__all__ = ["OrderDocument", "order_documents_make", "order_paid_email", "orders_missing_documents"]
