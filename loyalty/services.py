"""Every write to the points ledger; a customer's entries are written one at a time under a row lock."""

from django.contrib.auth import get_user_model
from django.db import transaction

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
