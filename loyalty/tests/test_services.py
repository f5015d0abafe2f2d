from decimal import Decimal

import pytest
from django.db import IntegrityError

from accounts.tests.factories import UserFactory
from loyalty.exceptions import HoldAlreadySettled, InvalidPointsAmount, NotEnoughPoints
from loyalty.models import LoyaltyProgram, PointsEntry, PointsKind
from loyalty.selectors import earn_percent, points_balance
from loyalty.services import points_earn, points_expire, points_hold, points_release, points_spend

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    user = UserFactory()
    points_earn(user=user, amount=1500, note="демо")
    return user


def test_balance_is_the_sum_of_the_ledger(customer):
    hold = points_hold(user=customer, amount=400)
    assert points_balance(user=customer) == 1100

    points_release(hold=hold)
    assert points_balance(user=customer) == 1500

    second = points_hold(user=customer, amount=1000)
    points_spend(hold=second)
    assert points_balance(user=customer) == 500

    points_expire(user=customer, amount=200)
    assert points_balance(user=customer) == 300
    assert list(PointsEntry.objects.filter(user=customer).order_by("pk").values_list("kind", "amount")) == [
        (PointsKind.EARNED, 1500),
        (PointsKind.HELD, -400),
        (PointsKind.RELEASED, 400),
        (PointsKind.HELD, -1000),
        (PointsKind.SPENT, 0),
        (PointsKind.EXPIRED, -200),
    ]


def test_guest_has_no_points():
    from django.contrib.auth.models import AnonymousUser

    assert points_balance(user=AnonymousUser()) == 0
    assert points_balance(user=None) == 0


def test_hold_above_balance_is_refused(customer):
    with pytest.raises(NotEnoughPoints):
        points_hold(user=customer, amount=1501)
    assert points_balance(user=customer) == 1500


@pytest.mark.parametrize("amount", [0, -5, True, 1.5, "10"])
def test_amounts_must_be_positive_whole_numbers(customer, amount):
    with pytest.raises(InvalidPointsAmount):
        points_hold(user=customer, amount=amount)


def test_a_hold_is_settled_once(customer):
    hold = points_hold(user=customer, amount=100)
    points_spend(hold=hold)

    with pytest.raises(HoldAlreadySettled):
        points_release(hold=hold)
    with pytest.raises(HoldAlreadySettled):
        points_spend(hold=hold)
    assert points_balance(user=customer) == 1400


def test_expiry_never_takes_more_than_the_balance(customer):
    points_expire(user=customer, amount=99999)

    assert points_balance(user=customer) == 0


def test_database_refuses_an_entry_of_the_wrong_sign(customer):
    with pytest.raises(IntegrityError):
        PointsEntry.objects.create(user=customer, kind=PointsKind.EARNED, amount=-10)


def test_earn_percent_comes_from_admin_with_a_default():
    assert earn_percent() == Decimal("5")

    LoyaltyProgram.objects.create(earn_percent=Decimal("7.5"))

    assert earn_percent() == Decimal("7.5")
