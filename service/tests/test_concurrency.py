"""A slot's places are counted exactly when customers race on a real PostgreSQL."""

import pytest

from accounts.tests.factories import UserFactory
from core.testing import race
from service.exceptions import SlotTaken
from service.models import RepairRequest, ServiceSlot
from service.services import RepairDraft, repair_request_submit
from service.tests.factories import ServiceSlotFactory, ServiceZoneFactory, TechnicianFactory, region

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_people_racing_for_one_slot_exactly_one_gets_it():
    ServiceZoneFactory()
    slot = ServiceSlotFactory(technician=TechnicianFactory(), capacity=1)
    users = [UserFactory() for _ in range(20)]
    moscow = region("77")

    def submit(i):
        draft = RepairDraft(
            region=moscow,
            equipment_model="IP-камера",
            source="other",
            repair_format="visit",
            slot_id=slot.pk,
            contact_name="Ирина",
            contact_phone="+79161234567",
            symptoms=["no_image"],
            address="г. Москва, ул. Тверская, д. 7",
        )
        return repair_request_submit(user=users[i], draft=draft)

    results, errors = race(submit, 20)

    assert len(results) == 1
    assert len(errors) == 19
    assert all(isinstance(error, SlotTaken) for error in errors)
    assert ServiceSlot.objects.get(pk=slot.pk).booked == 1
    assert list(RepairRequest.objects.values_list("number", flat=True)) == ["R-000001"]
