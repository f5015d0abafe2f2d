"""Reads of the points ledger."""

from decimal import Decimal

from django.db.models import Sum

from loyalty.models import DEFAULT_EARN_PERCENT, LoyaltyProgram, PointsEntry


def points_balance(*, user) -> int:
    """The points a customer may spend now: the sum of the ledger's entries; 0 for a guest."""
    if user is None or not user.is_authenticated:
        return 0
    return PointsEntry.objects.filter(user=user).aggregate(total=Sum("amount"))["total"] or 0


def earn_percent() -> Decimal:
    """The share of the goods paid in money that comes back as points, as set in admin."""
    value = LoyaltyProgram.objects.values_list("earn_percent", flat=True).first()
    return DEFAULT_EARN_PERCENT if value is None else value
