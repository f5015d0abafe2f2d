"""«Мои покупки»: equipment from the customer's paid order gets the warranty check from the order itself."""

import pytest

from accounts.tests.factories import UserFactory
from service.models import RepairRequest
from service.services import RepairDraft, repair_request_submit
from service.tests.factories import bought, region

pytestmark = pytest.mark.django_db


def draft(slot, **overrides) -> RepairDraft:
    values = {
        "region": region("77"),
        "equipment_model": "",
        "source": "other",
        "repair_format": "visit",
        "slot_id": slot.pk,
        "contact_name": "Ирина",
        "contact_phone": "+79161234567",
        "symptoms": ["no_image"],
        "address": "г. Москва, ул. Тверская, д. 7",
    }
    return RepairDraft(**{**values, **overrides})


@pytest.mark.parametrize(("days_ago", "months", "is_warranty"), [(100, 12, True), (400, 12, False), (400, 24, True)])
def test_purchase_from_our_order_decides_the_warranty(moscow_service, days_ago, months, is_warranty):
    user = UserFactory()
    line = bought(user, days_ago=days_ago, warranty_months=months)

    repair = repair_request_submit(
        user=user,
        draft=draft(moscow_service["visit_slot"], equipment_model=line.name, order_line_id=line.pk),
    )

    assert (repair.order_line, repair.source, repair.is_warranty) == (line, "ours", is_warranty)


def test_another_persons_order_line_is_ignored(moscow_service):
    line = bought(UserFactory(), days_ago=10)

    repair = repair_request_submit(
        user=UserFactory(),
        draft=draft(moscow_service["visit_slot"], equipment_model="Камера", order_line_id=line.pk),
    )

    assert (repair.order_line, repair.source, repair.is_warranty) == (None, "other", False)


def test_repair_form_offers_my_purchases_and_shows_the_warranty(client, moscow_service):
    user = UserFactory(region=region("77"))
    line = bought(user, days_ago=30)
    client.force_login(user)

    page = client.get("/service/repair/new/").content.decode()
    response = client.post(
        "/service/repair/new/",
        {
            "purchase": str(line.pk),
            "region": region("77").pk,
            "source": "other",
            "symptoms": ["no_image"],
            "repair_format": "visit",
            "address": "г. Москва, ул. Тверская, д. 7",
            "contact_name": "Ирина",
            "contact_phone": "+79161234567",
            "slot": str(moscow_service["visit_slot"].pk),
            "action": "submit",
        },
    )

    assert "IP-камера HiWatch DS-I450M 4 Мп (HW-DS-I450M-28, S/N SN-0042), заказ 2026-000001" in page
    assert response.status_code == 302
    repair = RepairRequest.objects.get()
    assert (repair.equipment_model, repair.serial_number, repair.is_warranty) == (
        "IP-камера HiWatch DS-I450M 4 Мп",
        "SN-0042",
        True,
    )


def test_a_chosen_purchase_replaces_the_typed_equipment_fields_with_the_orders_own(client, moscow_service):
    user = UserFactory(region=region("77"))
    line = bought(user, days_ago=30)
    client.force_login(user)

    page = client.post(
        "/service/repair/new/", {"purchase": str(line.pk), "region": region("77").pk, "action": "refresh"}
    ).content.decode()

    assert 'data-testid="chosen-purchase"' in page
    assert "Артикул HW-DS-I450M-28 · S/N SN-0042" in page
    assert "По заказу: SN-0042. Оставьте пустым, если он тот же." in page
    assert 'name="sku"' not in page and 'name="purchase_date"' not in page
    assert '<input type="hidden" name="source" value="ours">' in page
