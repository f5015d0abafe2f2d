"""Making an order's documents, again whenever asked: each run overwrites what the last one made."""

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.jobs import enqueue_after_commit
from orders.documents import (
    buyer_snapshot,
    document_issue,
    document_number,
    document_render,
    document_store,
    documents_due,
    seller_snapshot,
)
from orders.models import DocumentKind, Order, OrderDocument, Seller

PAID_SUBJECT = "Заказ {number} оплачен"
PAID_BODY = (
    "Здравствуйте!\n\nЗаказ {number} на сумму {total} ₽ оплачен. Документы — на странице заказа: {url}\n\nОхрана Плюс"
)


def order_documents_make(*, order_id: int) -> list[str]:
    """Issue the documents the order has by now and make every issued one again from its snapshot; kinds made."""
    order = Order.objects.select_related("region").prefetch_related("lines").get(pk=order_id)
    seller = Seller.objects.first()
    due = documents_due(order)
    for kind in due:
        document_issue(order=order, kind=kind, seller=seller)
    made = []
    # A cancelled order makes no new documents, but its issued ones are made again (an annulled invoice says so).
    for document in OrderDocument.objects.filter(order=order).order_by("pk"):
        document_store(document=document, pdf=document_render(order=order, document=document))
        made.append(document.kind)
    # Done, unless the order moved on meanwhile: whatever flagged it again bumped `updated_at`, so the flag stays.
    Order.objects.filter(pk=order.pk, documents_due=True, updated_at=order.updated_at).update(documents_due=False)
    return list(dict.fromkeys(made))


def order_documents_request(*, order_id: int) -> None:
    """Flag the order as due for documents and make them after commit; the sweep retries a task that was lost."""
    Order.objects.filter(pk=order_id).update(documents_due=True, updated_at=timezone.now())
    enqueue_after_commit("orders.documents", order_id=order_id)


def order_document_correct(*, document_id: int) -> OrderDocument:
    """Issue a correction of a document: a new one, with today's parties, that names the one it corrects."""
    with transaction.atomic():
        original = OrderDocument.objects.select_for_update().select_related("order").get(pk=document_id)
        order = original.order
        correction = OrderDocument.objects.create(
            order=order,
            kind=original.kind,
            corrects=original,
            number=document_number(order=order, corrects=original),
            seller=seller_snapshot(Seller.objects.first()),
            buyer=buyer_snapshot(order),
        )
    return document_store(document=correction, pdf=document_render(order=order, document=correction))


def order_documents_cancel(*, order: Order) -> int:
    """Annul the order's invoices (the order is cancelled) and make them again, marked «Аннулирован»; how many."""
    annulled = OrderDocument.objects.filter(order=order, kind=DocumentKind.INVOICE, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )
    if annulled:
        order_documents_request(order_id=order.pk)
    return annulled


def orders_missing_documents(*, limit: int = 200) -> list[int]:
    """Orders still flagged as due for documents (a worker or broker was down): ids, oldest first."""
    return list(Order.objects.filter(documents_due=True).order_by("pk").values_list("pk", flat=True)[:limit])


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


__all__ = [
    "OrderDocument",
    "order_document_correct",
    "order_documents_cancel",
    "order_documents_make",
    "order_documents_request",
    "order_paid_email",
    "orders_missing_documents",
]
