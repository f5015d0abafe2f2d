"""A courier window's places are counted exactly when buyers race on a real PostgreSQL."""

import datetime

import pytest

from core.testing import race
from delivery.exceptions import WindowFull
from delivery.models import CourierWindow
from delivery.services import courier_window_book
from delivery.tests.factories import CourierWindowFactory, DeliveryZoneFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2026, 3, 2)
DATE = datetime.date(2026, 3, 5)


def test_window_with_3_places_and_20_buyers_takes_exactly_3():
    zone = DeliveryZoneFactory()
    CourierWindowFactory(zone=zone, date=DATE, slot="10-13", capacity=3)

    results, errors = race(lambda i: courier_window_book(zone=zone, date=DATE, slot="10-13", today=TODAY), 20)

    assert len(results) == 3
    assert len(errors) == 17
    assert all(isinstance(error, WindowFull) for error in errors)
    assert CourierWindow.objects.get().booked == 3


def test_window_created_by_the_first_of_20_racing_buyers_is_one_row():
    zone = DeliveryZoneFactory(window_capacity=4)

    results, errors = race(lambda i: courier_window_book(zone=zone, date=DATE, slot="19-22", today=TODAY), 20)

    assert len(results) == 4
    assert all(isinstance(error, WindowFull) for error in errors)
    window = CourierWindow.objects.get()
    assert (window.capacity, window.booked) == (4, 4)
