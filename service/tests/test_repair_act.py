"""A paid repair's act of completed works: made by Celery once it is ready, private, never for a warranty repair."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from core.models import StaffDownload
from orders.tests.factories import seller
from service import tasks
from service.documents import repair_act_lines, repair_act_make, repair_acts_missing
from service.models import RepairRequest, RepairStatus, WarrantyStatus
from service.services import repair_request_set_status
from service.tests.factories import RepairRequestFactory, ServiceSlotFactory, TechnicianFactory, staff_with

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
ACT_LINK = "Акт выполненных работ (PDF)"
TO_READY = [
    RepairStatus.CONFIRMED,
    RepairStatus.DIAGNOSTICS,
    RepairStatus.AWAITING_APPROVAL,
    RepairStatus.IN_REPAIR,
    RepairStatus.READY,
]


def text_of(repair: RepairRequest) -> str:
    with repair.act.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return text.replace(NBSP, " ")


@pytest.fixture
def repair():
    """R-…: a paid visit to a camera; diagnostics 1 500 ₽, the visit 900 ₽, the repair agreed at 4 500 ₽."""
    seller()
    technician = TechnicianFactory(name="Смирнов А. В.")
    return RepairRequestFactory(
        user=UserFactory(first_name="Ирина", last_name="Соколова"),
        slot=ServiceSlotFactory(technician=technician),
        warranty=WarrantyStatus.PAID,
        equipment_model="IP-камера HiWatch DS-I450M",
        serial_number="SN-0042",
        diagnostics_fee=Decimal("1500.00"),
        visit_fee=Decimal("900.00"),
        diagnosis="Замена блока питания камеры",
        repair_cost=Decimal("4500.00"),
    )


def move(repair, statuses, django_capture_on_commit_callbacks) -> RepairRequest:
    with django_capture_on_commit_callbacks(execute=True):
        for status in statuses:
            repair_request_set_status(request=repair, status=status)
    repair.refresh_from_db()
    return repair


@pytest.fixture
def ready(repair, django_capture_on_commit_callbacks):
    return move(repair, TO_READY, django_capture_on_commit_callbacks)


def test_a_ready_paid_repair_gets_an_act_with_its_services_vat_and_total_in_words(ready):
    text = text_of(ready)

    assert f"Акт выполненных работ № {ready.number}" in text
    assert "Оборудование: IP-камера HiWatch DS-I450M, S/N SN-0042" in text
    assert (
        "Диагностика оборудования: IP-камера HiWatch DS-I450M, S/N SN-0042 1 усл. 1 500 ₽ 1 500 ₽ НДС 22% 270,49 ₽"
        in text
    )
    assert "Выезд техника на объект 1 усл. 900 ₽ 900 ₽ НДС 22% 162,30 ₽" in text
    # The agreed 4 500 ₽ include the diagnostics, as the repair form promises: the repair line is the rest.
    assert "Ремонт: Замена блока питания камеры 1 усл. 3 000 ₽ 3 000 ₽ НДС 22% 540,98 ₽" in text
    assert "Итого: 5 400 ₽" in text
    assert "В т.ч. НДС 22%: 973,77 ₽" in text
    assert "на сумму 5 400 ₽ (Пять тысяч четыреста рублей 00 копеек), в российских рублях" in text
    assert "Стоимость ремонта, согласованная с Заказчиком, — 4 500 ₽; диагностика (1 500 ₽) засчитана в неё." in text


def test_the_repair_act_carries_the_requisites_of_402_fz_article_9(ready):
    text = text_of(ready)

    made_on = timezone.localtime(ready.history.get(status=RepairStatus.READY).created_at)
    assert f"Акт выполненных работ № {ready.number} от " in text  # the document's name
    assert f"{made_on:%Y} г." in text  # its date
    assert "Исполнитель: ООО «Охрана Плюс», ИНН 7701234560, КПП 770101001" in text  # who made it
    assert "Заказчик: Ирина Соколова" in text
    assert "Ремонт: Замена блока питания камеры" in text  # the fact of economic life
    assert "5 400 ₽ (Пять тысяч четыреста рублей 00 копеек)" in text  # its value and unit
    assert "Работы сдал — Исполнитель, ООО «Охрана Плюс» Руководитель организации" in text  # positions
    assert "Работы принял — Заказчик" in text and "Работы выполнил — техник" in text
    assert "______________ / Петров П. П. /" in text  # signatures with names
    assert "______________ / Соколова И. /" in text
    assert "______________ / Смирнов А. В. /" in text


def test_readiness_enqueues_the_act_once(repair, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(tasks.repair_act_task, "delay", lambda **kwargs: sent.append(kwargs))

    move(repair, [*TO_READY, RepairStatus.CLOSED], django_capture_on_commit_callbacks)

    assert sent == [{"request_id": repair.pk}]


def test_a_warranty_repair_gets_no_act(repair, monkeypatch, django_capture_on_commit_callbacks):
    RepairRequest.objects.filter(pk=repair.pk).update(warranty=WarrantyStatus.WARRANTY)
    sent = []
    monkeypatch.setattr(tasks.repair_act_task, "delay", lambda **kwargs: sent.append(kwargs))

    move(repair, TO_READY, django_capture_on_commit_callbacks)

    assert sent == []
    assert repair_act_make(request_id=repair.pk) == ""
    assert repair_acts_missing() == []
    repair.refresh_from_db()
    assert not repair.act


def test_no_act_before_the_repair_is_ready(repair):
    assert repair_act_make(request_id=repair.pk) == ""

    repair.refresh_from_db()
    assert not repair.act


def test_making_the_repair_act_again_overwrites_it(ready):
    first = ready.act.name

    repair_act_make(request_id=ready.pk)

    ready.refresh_from_db()
    assert ready.act.name == first == f"acts/act-{ready.number}.pdf"


def test_the_sweep_makes_a_repair_act_a_broker_outage_left_unmade_once(
    repair, monkeypatch, django_capture_on_commit_callbacks
):
    def down(**kwargs):
        raise ConnectionError("redis is down")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.repair_act_task, "delay", down)
        move(repair, TO_READY, django_capture_on_commit_callbacks)
    assert not repair.act
    assert repair_acts_missing() == [repair.pk]

    assert tasks.service_acts_sweep_task.delay().get() == 1

    repair.refresh_from_db()
    assert repair.act and repair_acts_missing() == []
    assert tasks.service_acts_sweep_task.delay().get() == 0


def test_the_owner_downloads_the_repair_act_from_the_request_page(client, ready):
    client.force_login(ready.user)

    page = client.get(ready.get_absolute_url()).content.decode()
    response = client.get(f"/service/requests/{ready.number}/act.pdf")

    assert ACT_LINK in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="act-{ready.number}.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert not StaffDownload.objects.exists()


def test_staff_who_may_view_repairs_download_the_act_and_it_is_recorded(client, ready):
    manager = staff_with("view_repairrequest")
    client.force_login(manager)

    response = client.get(f"/service/requests/{ready.number}/act.pdf")

    assert response.status_code == 200
    record = StaffDownload.objects.get()
    assert (record.user, record.what, record.path) == (
        manager,
        f"Акт {ready.number}",
        f"/service/requests/{ready.number}/act.pdf",
    )


@pytest.mark.parametrize(
    "who", ["another customer", "staff without a permission", "staff for installations only", "guest"]
)
def test_nobody_else_gets_the_repair_act(client, ready, who):
    users = {
        "another customer": UserFactory,
        "staff without a permission": lambda: UserFactory(is_staff=True),
        "staff for installations only": lambda: staff_with("view_installationrequest"),
    }
    if who in users:
        client.force_login(users[who]())

    response = client.get(f"/service/requests/{ready.number}/act.pdf")

    assert response.status_code == (302 if who == "guest" else 404)
    assert not StaffDownload.objects.exists()


def test_a_ready_repair_without_its_act_yet_says_it_is_coming(client, repair, monkeypatch):
    monkeypatch.setattr(tasks.repair_act_task, "delay", lambda **kwargs: None)
    for status in TO_READY:
        repair_request_set_status(request=repair, status=status)
    client.force_login(repair.user)

    page = client.get(repair.get_absolute_url()).content.decode()

    assert "Акт выполненных работ готовится" in page and ACT_LINK not in page
    assert client.get(f"/service/requests/{repair.number}/act.pdf").status_code == 404


def test_a_ready_warranty_repair_page_shows_no_documents(client, repair, monkeypatch):
    monkeypatch.setattr(tasks.repair_act_task, "delay", lambda **kwargs: None)
    RepairRequest.objects.filter(pk=repair.pk).update(warranty=WarrantyStatus.WARRANTY)
    for status in TO_READY:
        repair_request_set_status(request=repair, status=status)
    client.force_login(repair.user)

    page = client.get(repair.get_absolute_url()).content.decode()

    assert 'data-testid="request-documents"' not in page


def test_admin_regenerates_the_repair_act(client, ready):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    ready.act.storage.delete(ready.act.name)

    response = client.post(
        "/admin/service/repairrequest/", {"action": "regenerate_act", "_selected_action": [ready.pk]}, follow=True
    )

    assert f"Акт сформирован: {ready.number}" in response.content.decode()
    ready.refresh_from_db()
    assert ready.act.storage.exists(ready.act.name)
    assert client.get(f"/admin/service/repairrequest/{ready.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    ("diagnostics", "visit", "cost", "expected"),
    [
        # Diagnostics counts towards the agreed cost; without a visit there is no visit line.
        ("1500", "0", "4500", [("Диагностика", "1500"), ("Ремонт", "3000")]),
        # No repair cost recorded: the services actually given, diagnostics and the visit.
        ("1500", "900", None, [("Диагностика", "1500"), ("Выезд", "900")]),
        # A repair cheaper than its diagnostics: the customer pays the diagnostics, the repair adds nothing.
        ("1500", "0", "1000", [("Диагностика", "1500"), ("Ремонт", "0")]),
    ],
    ids=["no-visit", "no-repair-cost", "repair-below-diagnostics"],
)
def test_repair_act_lines(diagnostics, visit, cost, expected):
    lines = repair_act_lines(
        diagnostics_fee=Decimal(diagnostics),
        visit_fee=Decimal(visit),
        repair_cost=Decimal(cost) if cost else None,
        diagnosis="Замена БП",
        equipment="Камера",
    )

    assert [(line.name.split()[0].rstrip(":"), line.total) for line in lines] == [
        (name, Decimal(total)) for name, total in expected
    ]
    assert [line.number for line in lines] == list(range(1, len(expected) + 1))
