"""A deleted account's person leaves the orders: what accounting must keep stays, the rest is cleared."""

from django.db import transaction

from orders.models import DocumentKind, Order, OrderDocument, ReturnRequest

# Papers accounting keeps for five years (402-FZ art. 29): invoices and УПД issued to companies. A person's
# receipt copy and warranty card are theirs alone and go with the account.
KEPT_DOCUMENTS = frozenset({DocumentKind.INVOICE.value, "upd"})
CLEARED = "данные удалены"


@transaction.atomic
def orders_personal_data_erase(*, user) -> int:
    """Clear the person's name, contacts and address from their orders and drop their personal documents;
    company details of company orders stay for the invoices. Nothing is made again. The number of orders."""
    orders = Order.objects.select_for_update().filter(user=user)
    ids = list(orders.values_list("pk", flat=True))
    Order.objects.filter(pk__in=ids).update(full_name="", email="", phone="", contact_name="", courier_address="")
    personal = OrderDocument.objects.filter(order_id__in=ids).exclude(kind__in=KEPT_DOCUMENTS, order__is_company=True)
    for document in personal:
        if document.file:
            document.file.delete(save=False)
    personal.delete()
    ReturnRequest.objects.filter(order_id__in=ids).update(reason=CLEARED)
    return len(ids)
