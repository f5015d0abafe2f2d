"""Reads of the exchange: the orders due for 1C and where the last committed export stopped."""

import datetime

from django.db.models import Prefetch, QuerySet

from exchange.models import ExchangeKind, ExchangeSession
from orders.models import Order, OrderLine


def last_export_until() -> datetime.datetime | None:
    """The moment up to which 1C confirmed (mode=success) having the orders."""
    return (
        ExchangeSession.objects.filter(kind=ExchangeKind.SALE, export_committed_at__isnull=False)
        .order_by("-export_until")
        .values_list("export_until", flat=True)
        .first()
    )


def orders_for_export(*, since: datetime.datetime | None, until: datetime.datetime) -> QuerySet[Order]:
    """Orders placed or changed after `since` and up to `until`, with their lines and products' 1C Ид."""
    orders = Order.objects.filter(number__isnull=False, updated_at__lte=until)
    if since is not None:
        orders = orders.filter(updated_at__gt=since)
    lines = OrderLine.objects.select_related("product").only(
        "order_id", "name", "sku", "is_service", "price", "quantity", "gross", "discount", "points", "total",
        "vat_rate", "product__external_id",
    )  # fmt: skip
    return orders.prefetch_related(Prefetch("lines", queryset=lines)).order_by("updated_at", "pk")
