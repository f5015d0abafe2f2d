"""Staff work a request in admin: statuses move only along the map, with history; slots move with their places."""

from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from service.models import RepairStatusChange, ServiceSlot
from service.tests.factories import InstallationRequestFactory, RepairRequestFactory, ServiceSlotFactory, tomorrow_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/admin/service/repairrequest/",
        "/admin/service/installationrequest/",
        "/admin/service/repairrequest/?status__exact=confirmed",
        "/admin/service/servicecentre/",
        "/admin/service/technician/",
        "/admin/service/crew/",
        "/admin/service/serviceslot/",
        "/admin/service/servicezone/",
        "/admin/service/estimaterule/",
        "/admin/service/installationpackage/",
    ],
)
def test_admin_lists_open(client, staff, url):
    RepairRequestFactory()
    InstallationRequestFactory()

    assert client.get(url).status_code == 200


def repair_change_data(repair, **overrides) -> dict:
    data = {
        "new_status": "",
        "status_note": "",
        "new_slot": "",
        "centre": "",
        "region": repair.region_id,
        "address": repair.address,
        "access_notes": "",
        "contact_name": repair.contact_name,
        "contact_phone": repair.contact_phone,
        "diagnosis": "",
        "repair_cost": "",
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "notices-TOTAL_FORMS": "0",
        "notices-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_staff_record_the_diagnosis_and_cost_and_ask_for_approval(client, staff):
    repair = RepairRequestFactory(status="diagnostics")

    response = client.post(
        f"/admin/service/repairrequest/{repair.pk}/change/",
        repair_change_data(repair, new_status="approval", diagnosis="Сгорел блок питания", repair_cost="3500"),
    )

    assert response.status_code == 302
    repair.refresh_from_db()
    assert (repair.status, repair.diagnosis, repair.repair_cost) == ("approval", "Сгорел блок питания", Decimal("3500"))
    assert RepairStatusChange.objects.get().author == staff


def test_admin_offers_only_the_moves_the_map_allows(client, staff):
    repair = RepairRequestFactory(status="new")

    response = client.post(
        f"/admin/service/repairrequest/{repair.pk}/change/", repair_change_data(repair, new_status="ready")
    )

    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    repair.refresh_from_db()
    assert repair.status == "new"


def test_staff_move_a_request_to_another_slot(client, staff):
    old = ServiceSlotFactory(booked=1)
    new = ServiceSlotFactory(technician=old.technician, starts_at=tomorrow_at(13))
    repair = RepairRequestFactory(status="confirmed", slot=old)

    client.post(f"/admin/service/repairrequest/{repair.pk}/change/", repair_change_data(repair, new_slot=new.pk))

    repair.refresh_from_db()
    assert repair.slot == new
    assert list(ServiceSlot.objects.order_by("starts_at").values_list("booked", flat=True)) == [0, 1]
