"""The nightly slots task: the next 14 days from working hours, safe to re-run."""

import datetime

import pytest
from django.utils import timezone

from service.models import ServiceSlot
from service.tasks import service_slots_generate_task
from service.tests.factories import ServiceCentreFactory

pytestmark = pytest.mark.django_db


def test_the_nightly_task_makes_the_next_14_days_once():
    ServiceCentreFactory(
        work_days="1234567", work_start=datetime.time(10), work_end=datetime.time(20), slot_minutes=300
    )
    today = timezone.localdate()

    created = service_slots_generate_task()
    again = service_slots_generate_task()

    # 14 days × 2 slots a day × (intake + courier).
    assert (created, again) == (56, 0)
    days = {timezone.localdate(starts_at) for starts_at in ServiceSlot.objects.values_list("starts_at", flat=True)}
    assert days == {today + datetime.timedelta(days=n) for n in range(1, 15)}


def test_the_nightly_task_keeps_the_bookings_of_existing_slots():
    ServiceCentreFactory(
        work_days="1234567", work_start=datetime.time(10), work_end=datetime.time(20), slot_minutes=300
    )
    service_slots_generate_task()
    booked = ServiceSlot.objects.order_by("starts_at").first()
    ServiceSlot.objects.filter(pk=booked.pk).update(booked=1)

    assert service_slots_generate_task() == 0

    booked.refresh_from_db()
    assert (booked.booked, ServiceSlot.objects.count()) == (1, 56)
