"""The warranty from facts: a line of the customer's order, counted from handover; staff decide the rest."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from orders.models import OrderStatus
from service.models import RepairRequest, WarrantyStatus
from service.services import repair_request_set_warranty, repair_request_submit
from service.tests.factories import RepairRequestFactory, bought
from service.tests.test_purchases import draft

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_the_warranty_runs_from_handover_not_from_payment(moscow_service):
    user = UserFactory()
    line = bought(user, days_ago=400, warranty_months=12, status=OrderStatus.COMPLETED)
    line.order.received_at = days_ago(300)  # paid 400 days ago, handed over 300 days ago
    line.order.save(update_fields=["received_at"])

    repair = repair_request_submit(
        user=user, draft=draft(moscow_service["visit_slot"], equipment_model=line.name, order_line_id=line.pk)
    )

    assert (repair.warranty, repair.preliminary_cost) == (WarrantyStatus.WARRANTY, Decimal("0.00"))
    assert repair.purchase_date == timezone.localtime(line.order.received_at).date()


def test_an_order_received_before_the_handover_date_was_kept_counts_from_payment(moscow_service):
    user = UserFactory()
    line = bought(user, days_ago=400, warranty_months=12, status=OrderStatus.COMPLETED)

    repair = repair_request_submit(
        user=user, draft=draft(moscow_service["visit_slot"], equipment_model=line.name, order_line_id=line.pk)
    )

    assert (repair.warranty, repair.preliminary_cost) == (WarrantyStatus.PAID, Decimal("2400.00"))


def test_the_repair_form_says_the_warranty_runs_from_handover(client, moscow_service):
    user = UserFactory()
    line = bought(user, days_ago=400, warranty_months=12, status=OrderStatus.COMPLETED)
    line.order.received_at = days_ago(300)
    line.order.save(update_fields=["received_at"])
    client.force_login(user)

    html = client.post(
        "/service/repair/new/", {"purchase": str(line.pk), "region": "", "action": "refresh"}
    ).content.decode()

    handed_over = timezone.localtime(line.order.received_at).date()
    assert f"гарантия с {handed_over:%d.%m.%Y}" in html
    assert "Гарантийный ремонт — бесплатно" in html


def test_the_request_page_says_the_warranty_will_be_checked(client):
    repair = RepairRequestFactory(warranty=WarrantyStatus.UNCHECKED, diagnostics_fee=1500, visit_fee=900)
    client.force_login(repair.user)

    html = client.get(repair.get_absolute_url()).content.decode()

    assert "Гарантию проверим при приёме. Платный ремонт: предварительно 2\u00a0400\u00a0₽" in html


def test_staff_grant_the_warranty_the_fees_go_and_the_decision_is_recorded(moscow_service):
    repair = RepairRequestFactory(warranty=WarrantyStatus.UNCHECKED, diagnostics_fee=1500, visit_fee=900)
    engineer = UserFactory(is_staff=True)

    repair_request_set_warranty(request=repair, warranty=WarrantyStatus.WARRANTY, author=engineer, note="Чек проверен")

    repair.refresh_from_db()
    assert (repair.warranty, repair.preliminary_cost, repair.warranty_checked_by) == (
        WarrantyStatus.WARRANTY,
        Decimal("0.00"),
        engineer,
    )
    assert repair.warranty_checked_at is not None
    assert [(h.author, h.note) for h in repair.history.all()] == [
        (engineer, "Гарантия: гарантийный ремонт. Чек проверен")
    ]


def test_staff_refuse_the_warranty_and_the_zones_fees_apply(moscow_service):
    repair = RepairRequestFactory(warranty=WarrantyStatus.WARRANTY, format="intake")

    repair_request_set_warranty(request=repair, warranty=WarrantyStatus.PAID, author=UserFactory(is_staff=True))

    repair.refresh_from_db()
    assert (repair.warranty, repair.diagnostics_fee, repair.visit_fee) == (
        WarrantyStatus.PAID,
        Decimal("1500.00"),
        Decimal("0.00"),
    )


def test_staff_set_the_warranty_in_the_admin(client, moscow_service):
    repair = RepairRequestFactory(warranty=WarrantyStatus.UNCHECKED, diagnostics_fee=1500, visit_fee=900)
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = f"/admin/service/repairrequest/{repair.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"new_warranty": "warranty", "status_note": "Чек от 01.06"})
    for prefix in ("history", "attachments", "notices"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    repair = RepairRequest.objects.get(pk=repair.pk)
    assert (repair.warranty, repair.warranty_checked_by, repair.preliminary_cost) == (
        WarrantyStatus.WARRANTY,
        admin_user,
        Decimal("0.00"),
    )
