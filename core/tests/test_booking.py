"""The shared booking mechanism, exercised through the courier window that uses it."""

import datetime

import pytest
from django.db import IntegrityError

from core.booking import slot_give_back, slot_take
from delivery.models import CourierWindow
from delivery.tests.factories import CourierWindowFactory

pytestmark = pytest.mark.django_db


def test_slot_take_fills_up_to_capacity_and_no_further():
    window = CourierWindowFactory(date=datetime.date(2026, 3, 5), capacity=2)

    assert [slot_take(model=CourierWindow, pk=window.pk) for _ in range(3)] == [True, True, False]
    assert slot_take(model=CourierWindow, pk=window.pk, places=1) is False
    window.refresh_from_db()
    assert (window.booked, window.free, window.is_full) == (2, 0, True)


def test_slot_take_of_several_places_needs_them_all():
    window = CourierWindowFactory(date=datetime.date(2026, 3, 5), capacity=3, booked=1)

    assert slot_take(model=CourierWindow, pk=window.pk, places=3) is False
    assert slot_take(model=CourierWindow, pk=window.pk, places=2) is True


def test_slot_give_back_never_goes_below_zero():
    window = CourierWindowFactory(date=datetime.date(2026, 3, 5), capacity=3, booked=1)

    assert slot_give_back(model=CourierWindow, pk=window.pk) is True
    assert slot_give_back(model=CourierWindow, pk=window.pk) is False


def test_database_refuses_more_booked_than_capacity():
    with pytest.raises(IntegrityError):
        CourierWindowFactory(date=datetime.date(2026, 3, 5), capacity=1, booked=2)
