"""Every write to the points ledger; a customer's entries are written one at a time under a row lock."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from loyalty.exceptions import HoldAlreadySettled, InvalidPointsAmount, NotEnoughPoints
from loyalty.models import PointsEntry, PointsKind
from loyalty.selectors import points_balance


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidPointsAmount


def _lock_customer(user) -> None:
    # The customer's row serialises every movement of their points, so a balance is never spent twice.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


@transaction.atomic
def points_earn(*, user, amount: int, note: str = "") -> PointsEntry:
    """Credit points to a customer."""
    _check_amount(amount)
    _lock_customer(user)
    return PointsEntry.objects.create(user=user, kind=PointsKind.EARNED, amount=amount, note=note)


@transaction.atomic
def points_hold(*, user, amount: int, note: str = "") -> PointsEntry:
    """Set points aside for an order being paid; refused when the balance is short."""
    _check_amount(amount)
    _lock_customer(user)
    if points_balance(user=user) < amount:
        raise NotEnoughPoints
    return PointsEntry.objects.create(user=user, kind=PointsKind.HELD, amount=-amount, note=note)


def _settle(hold: PointsEntry, kind: str, amount: int) -> PointsEntry:
    _lock_customer(hold.user)
    if hold.kind != PointsKind.HELD or PointsEntry.objects.filter(hold=hold).exists():
        raise HoldAlreadySettled
    return PointsEntry.objects.create(user_id=hold.user_id, kind=kind, amount=amount, hold=hold, note=hold.note)


@transaction.atomic
def points_spend(*, hold: PointsEntry) -> PointsEntry:
    """Spend held points for good (the order is paid)."""
    return _settle(hold, PointsKind.SPENT, 0)


@transaction.atomic
def points_release(*, hold: PointsEntry) -> PointsEntry:
    """Give held points back (the order is cancelled or never paid)."""
    return _settle(hold, PointsKind.RELEASED, -hold.amount)


@transaction.atomic
def points_expire(*, user, amount: int, note: str = "") -> PointsEntry:
    """Burn points that were not spent in time, never more than the balance."""
    _check_amount(amount)
    _lock_customer(user)
    amount = min(amount, points_balance(user=user))
    if amount <= 0:
        raise NotEnoughPoints
    return PointsEntry.objects.create(user=user, kind=PointsKind.EXPIRED, amount=-amount, note=note)


@transaction.atomic
def points_restore(*, user, amount: int, note: str = "") -> PointsEntry:
    """Give back points that paid for goods now cancelled or returned."""
    _check_amount(amount)
    _lock_customer(user)
    return PointsEntry.objects.create(user=user, kind=PointsKind.RESTORED, amount=amount, note=note)


@transaction.atomic
def points_revoke(*, user, amount: int, note: str = "") -> PointsEntry | None:
    """Take back points earned on goods that were returned, never more than the balance; None when nothing is left."""
    _check_amount(amount)
    _lock_customer(user)
    amount = min(amount, points_balance(user=user))
    if amount <= 0:
        return None
    return PointsEntry.objects.create(user=user, kind=PointsKind.REVOKED, amount=-amount, note=note)


# Entries that add points of their own, each with its date; every other entry spends from the oldest of them.
CREDITS = (PointsKind.EARNED, PointsKind.RESTORED)
EXPIRED_NOTE = "Не потрачены за {days} дн."


def _unspent_before(entries, cutoff: datetime.datetime):
    """Points credited before the cutoff that the spending since has not used up (first in, first out), per user."""
    return entries.values("user").annotate(
        old=Sum("amount", filter=Q(kind__in=CREDITS, created_at__lt=cutoff), default=0),
        spent=-Sum("amount", filter=~Q(kind__in=CREDITS), default=0),
    )


def points_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Burn the points credited more than POINTS_EXPIRE_DAYS ago and not spent since; how many points burnt.

    Spending (holds, burns, revocations, less what was released) takes the oldest points first, so what is left of
    the old ones is what they credited less everything spent, never more than the balance. Re-running burns nothing.
    """
    now = now or timezone.now()
    days = settings.POINTS_EXPIRE_DAYS
    cutoff = now - datetime.timedelta(days=days)
    customers = (
        _unspent_before(PointsEntry.objects.all(), cutoff)
        .filter(old__gt=0)
        .order_by("user")
        .values_list("user", "old", "spent")
    )
    burnt = 0
    for user_id in [user_id for user_id, old, spent in customers if old > spent]:
        with transaction.atomic():
            user = get_user_model().objects.select_for_update().get(pk=user_id)
            row = _unspent_before(PointsEntry.objects.filter(user=user), cutoff).get()
            amount = min(row["old"] - row["spent"], points_balance(user=user))
            if amount > 0:
                PointsEntry.objects.create(
                    user=user, kind=PointsKind.EXPIRED, amount=-amount, note=EXPIRED_NOTE.format(days=days)
                )
                burnt += amount
    return burnt
