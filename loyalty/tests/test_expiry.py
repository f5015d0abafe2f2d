"""Points not spent within POINTS_EXPIRE_DAYS of being earned burn, oldest first, never below a zero balance."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from loyalty.models import PointsEntry, PointsKind
from loyalty.selectors import points_balance
from loyalty.services import points_earn, points_expire_due, points_hold, points_release, points_spend
from loyalty.tasks import points_expire_task

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2027, 6, 1, 3, 15))


@pytest.fixture(autouse=True)
def _a_year(settings):
    settings.POINTS_EXPIRE_DAYS = 365


def dated(entry: PointsEntry, days_ago: int) -> PointsEntry:
    PointsEntry.objects.filter(pk=entry.pk).update(created_at=NOW - datetime.timedelta(days=days_ago))
    return entry


def burnt(user) -> list[int]:
    return list(PointsEntry.objects.filter(user=user, kind=PointsKind.EXPIRED).values_list("amount", flat=True))


def test_points_earned_more_than_a_year_ago_and_unspent_burn():
    user = UserFactory()
    dated(points_earn(user=user, amount=1500), days_ago=400)
    dated(points_earn(user=user, amount=149), days_ago=30)

    assert points_expire_due(now=NOW) == 1500

    assert burnt(user) == [-1500]
    assert points_balance(user=user) == 149


def test_points_earned_exactly_at_the_limit_do_not_burn_yet():
    user = UserFactory()
    dated(points_earn(user=user, amount=500), days_ago=365)

    assert points_expire_due(now=NOW) == 0
    assert points_balance(user=user) == 500


def test_spending_takes_the_oldest_points_first():
    user = UserFactory()
    dated(points_earn(user=user, amount=1000), days_ago=400)
    dated(points_earn(user=user, amount=300), days_ago=10)
    dated(points_spend(hold=dated(points_hold(user=user, amount=700), days_ago=5)), days_ago=5)

    assert points_expire_due(now=NOW) == 300

    assert points_balance(user=user) == 300


def test_points_released_back_from_a_cancelled_order_are_old_points_again():
    user = UserFactory()
    dated(points_earn(user=user, amount=1000), days_ago=400)
    hold = dated(points_hold(user=user, amount=600), days_ago=20)
    dated(points_release(hold=hold), days_ago=19)

    assert points_expire_due(now=NOW) == 1000
    assert points_balance(user=user) == 0


def test_points_held_for_an_unpaid_order_are_not_burnt_and_the_balance_never_goes_negative():
    user = UserFactory()
    dated(points_earn(user=user, amount=1000), days_ago=400)
    dated(points_hold(user=user, amount=1000), days_ago=1)

    assert points_expire_due(now=NOW) == 0
    assert points_balance(user=user) == 0


def test_running_again_burns_nothing_more():
    user = UserFactory()
    dated(points_earn(user=user, amount=800), days_ago=500)
    dated(points_earn(user=user, amount=200), days_ago=380)

    assert points_expire_due(now=NOW) == 1000
    assert points_expire_due(now=NOW) == 0
    assert points_expire_due(now=NOW + datetime.timedelta(days=1)) == 0
    assert burnt(user) == [-1000]


def test_only_the_customers_with_old_unspent_points_are_touched():
    old, recent, spent = UserFactory(), UserFactory(), UserFactory()
    dated(points_earn(user=old, amount=100), days_ago=366)
    dated(points_earn(user=recent, amount=100), days_ago=10)
    dated(points_earn(user=spent, amount=100), days_ago=400)
    points_spend(hold=points_hold(user=spent, amount=100))

    assert points_expire_due(now=NOW) == 100

    assert (burnt(old), burnt(recent), burnt(spent)) == ([-100], [], [])


def test_the_setting_decides_the_period(settings):
    settings.POINTS_EXPIRE_DAYS = 30
    user = UserFactory()
    dated(points_earn(user=user, amount=250), days_ago=31)

    assert points_expire_due(now=NOW) == 250


def test_the_nightly_task_burns_by_the_clock():
    user = UserFactory()
    entry = points_earn(user=user, amount=400)
    PointsEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - datetime.timedelta(days=366))

    assert points_expire_task() == 400
    assert points_expire_task() == 0
    assert points_balance(user=user) == 0
