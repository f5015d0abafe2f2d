"""Stock checks for staff and tests: counters that disagree with their reservations."""

from django.db.models import Q, Sum

from catalog.models import ReservationState, Stock, StockReservation


def stock_drift() -> list[str]:
    """Every stock row whose counters disagree with its reservation rows, or break a bound; empty when sound."""
    held = {
        row["stock"]: row["total"]
        for row in StockReservation.objects.filter(state=ReservationState.HELD)
        .values("stock")
        .annotate(total=Sum("quantity"))
    }
    problems = []
    rows = Stock.objects.filter(Q(reserved__gt=0) | Q(pk__in=list(held))).select_related("product", "warehouse")
    for stock in rows.order_by("pk"):
        expected = held.get(stock.pk, 0)
        if stock.reserved != expected:
            problems.append(
                f"{stock.product.sku} / {stock.warehouse.code}: в резерве {stock.reserved}, по резервам {expected}"
            )
        if stock.reserved > stock.quantity:
            problems.append(f"{stock.product.sku} / {stock.warehouse.code}: резерв {stock.reserved} > {stock.quantity}")
    return problems
