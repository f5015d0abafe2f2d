"""Russian working days (the production calendar) and the control keys of bank details."""

import datetime

import pytest
from django.utils import timezone

from core.banking import account_key_ok, is_working_day
from orders.documents import invoice_valid_until
from orders.models import Order, PaymentMethod
from orders.services import reservation_expiry


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (datetime.date(2026, 1, 5), False),  # New Year holidays
        (datetime.date(2026, 1, 9), False),  # day off moved from Saturday 3 January
        (datetime.date(2026, 1, 12), True),
        (datetime.date(2026, 3, 9), False),  # 8 March fell on a Sunday
        (datetime.date(2025, 11, 1), True),  # a Saturday made a working day
        (datetime.date(2025, 11, 3), False),  # the day off it was moved to
        (datetime.date(2026, 11, 28), False),  # an ordinary Saturday
    ],
)
def test_working_days_follow_the_russian_production_calendar(day, working):
    assert is_working_day(day) is working


def _at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.mark.parametrize(
    ("placed", "expires"),
    [
        (_at(2026, 11, 27, 12, 0), _at(2026, 12, 2, 12, 0)),  # Friday: Mon, Tue, Wed
        (_at(2025, 12, 29, 15, 0), _at(2026, 1, 13, 15, 0)),  # 30 Dec works; 31 Dec to 11 Jan do not
        (_at(2026, 5, 7, 10, 0), _at(2026, 5, 13, 10, 0)),  # 8 May works, 9–11 May do not
    ],
)
def test_an_invoice_reservation_runs_for_three_working_days(placed, expires, settings):
    settings.INVOICE_PAYMENT_DAYS = 3
    assert reservation_expiry(method=PaymentMethod.INVOICE, now=placed) == expires


@pytest.mark.django_db
def test_the_invoice_says_valid_until_the_day_its_reservation_ends(settings):
    settings.INVOICE_PAYMENT_DAYS = 3
    order = Order(created_at=_at(2025, 12, 29, 15, 0), payment_method=PaymentMethod.INVOICE)

    assert invoice_valid_until(order) == datetime.date(2026, 1, 13)
    assert (
        invoice_valid_until(order)
        == timezone.localtime(reservation_expiry(method=PaymentMethod.INVOICE, now=order.created_at)).date()
    )


@pytest.mark.parametrize(
    ("bik", "account", "ok"),
    [
        ("044525225", "40702810938000012345", True),
        ("044525225", "30101810400000000225", True),  # Сбербанк's correspondent account
        ("044525225", "40702810938000012346", False),
        ("044525225", "30101810400000000226", False),
        ("044525225", "4070281093800001234", False),  # 19 digits
        ("04452522X", "40702810938000012345", False),
    ],
)
def test_an_account_is_checked_against_the_bik_by_the_bank_of_russia_key(bik, account, ok):
    assert account_key_ok(bik=bik, account=account) is ok
