from django.db import migrations, models
from django.db.models import Count, Q

PAID = {"paid", "shipped", "completed"}
SHIPPED = {"shipped", "completed"}


def _kinds_due(order) -> int:
    """How many documents the order has by now (as `orders.documents.documents_due` counts them, at this migration)."""
    paid = order.status in PAID
    kinds = [
        order.payment_method == "invoice",
        paid and not order.is_company,
        paid or (order.status == "accepted" and order.lines.filter(serial_numbers__gt="").exists()),
        order.is_company and order.status in SHIPPED,
    ]
    return sum(kinds)


def flag_orders_lacking_documents(apps, schema_editor):
    """Flag the orders the old sweep would have found: fewer documents made than due."""
    Order = apps.get_model("orders", "Order")
    candidates = (
        Order.objects.exclude(status="cancelled")
        .filter(Q(payment_method="invoice") | Q(paid_at__isnull=False) | Q(is_company=True, status__in=SHIPPED))
        .annotate(made=Count("documents", filter=Q(documents__corrects__isnull=True)))
        .order_by("pk")
    )
    due = [order.pk for order in candidates.iterator(chunk_size=500) if order.made < _kinds_due(order)]
    for start in range(0, len(due), 1000):
        Order.objects.filter(pk__in=due[start : start + 1000]).update(documents_due=True)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0007_document_upd"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="documents_due",
            field=models.BooleanField(default=False, editable=False, verbose_name="ждёт документов"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(condition=models.Q(("documents_due", True)), fields=["id"], name="order_documents_due"),
        ),
        migrations.RunPython(flag_orders_lacking_documents, migrations.RunPython.noop),
    ]
