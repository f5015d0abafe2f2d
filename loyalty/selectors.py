"""Reads of the points ledger."""

import functools
from decimal import Decimal

from django.db import router
from django.db.models import Sum

from core.sql import Prepared, prepare
from loyalty.models import DEFAULT_EARN_PERCENT, LoyaltyProgram, PointsEntry

_USER_STANDIN = -917_364_541


@functools.cache
def _balance_query(alias: str) -> Prepared:
    """A customer's sum of the ledger, compiled once per process (core.sql): every checkout reads it twice."""

    def build(user):
        entries = PointsEntry.objects.filter(user_id=user).order_by().values("user_id")
        return entries.annotate(total=Sum("amount")).values_list("total")

    return prepare(build, using=alias, user=_USER_STANDIN)


def points_balance(*, user) -> int:
    """The points a customer may spend now: the sum of the ledger's entries; 0 for a guest."""
    if user is None or not user.is_authenticated:
        return 0
    alias = router.db_for_read(PointsEntry)
    rows = _balance_query(alias).rows(alias, user=user.pk)
    return (rows[0][0] if rows else None) or 0


def earn_percent() -> Decimal:
    """The share of the goods paid in money that comes back as points, as set in admin."""
    value = LoyaltyProgram.objects.values_list("earn_percent", flat=True).first()
    return DEFAULT_EARN_PERCENT if value is None else value
