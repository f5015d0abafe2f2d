"""A points balance is never overspent when one customer's orders race on a real PostgreSQL."""

import pytest

from accounts.tests.factories import UserFactory
from core.testing import race
from loyalty.exceptions import NotEnoughPoints
from loyalty.selectors import points_balance
from loyalty.services import points_earn, points_hold

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_20_holds_of_300_against_1000_points_leave_exactly_3():
    user = UserFactory()
    points_earn(user=user, amount=1000)

    results, errors = race(lambda i: points_hold(user=user, amount=300), 20)

    assert len(results) == 3
    assert len(errors) == 17
    assert all(isinstance(error, NotEnoughPoints) for error in errors)
    assert points_balance(user=user) == 100
