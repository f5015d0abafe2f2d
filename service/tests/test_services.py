"""Service writes: submitting requests, statuses with history, cost decisions, slots."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from service.exceptions import DecisionNotExpected, SlotTaken, SlotUnavailable, TransitionNotAllowed
from service.models import (
    EstimateLine,
    InstallationRequest,
    RepairRequest,
    RepairStatus,
    ServiceSlot,
)
from service.services import (
    TOO_MANY_FILES,
    InstallationDraft,
    RepairDraft,
    installation_request_submit,
    repair_attachments_check,
    repair_cost_decide,
    repair_request_set_status,
    repair_request_submit,
    service_slots_generate,
)
from service.tests.conftest import jpeg
from service.tests.factories import (
    CrewFactory,
    RepairRequestFactory,
    ServiceCentreFactory,
    TechnicianFactory,
    region,
    tomorrow_at,
)

pytestmark = pytest.mark.django_db


def draft(slot, **overrides) -> RepairDraft:
    values = {
        "region": region("77"),
        "equipment_model": "IP-камера уличная 4 Мп",
        "source": "other_shop",
        "repair_format": "visit",
        "slot_id": slot.pk,
        "contact_name": "Ирина",
        "contact_phone": "+79161234567",
        "symptoms": ["no_image"],
        "address": "г. Москва, ул. Тверская, д. 7",
    }
    return RepairDraft(**{**values, **overrides})


def test_paid_visit_costs_diagnostics_and_the_zones_visit_fee_and_is_confirmed(
    moscow_service, django_capture_on_commit_callbacks
):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        repair = repair_request_submit(user=user, draft=draft(moscow_service["visit_slot"]))

    assert repair.number == "R-000001"
    assert (repair.is_warranty, repair.diagnostics_fee, repair.visit_fee) == (
        False,
        Decimal("1500.00"),
        Decimal("900.00"),
    )
    assert repair.status == RepairStatus.CONFIRMED
    assert [(h.status, h.author) for h in repair.history.all()] == [("new", user), ("confirmed", user)]
    assert ServiceSlot.objects.get(pk=moscow_service["visit_slot"].pk).booked == 1
    assert [m.subject for m in mail.outbox] == ["Заявка R-000001 подтверждена"]
    assert mail.outbox[0].to == [user.email]


def test_mail_is_not_sent_before_commit(moscow_service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        repair_request_submit(user=UserFactory(), draft=draft(moscow_service["visit_slot"]))

    assert (len(callbacks), mail.outbox) == (1, [])


def test_ours_by_the_customers_word_alone_waits_for_staff_at_the_preliminary_cost(moscow_service):
    camera = ProductFactory(sku="CAM-4MP", warranty_months=24)
    purchased = datetime.date.today() - datetime.timedelta(days=200)

    repair = repair_request_submit(
        user=UserFactory(),
        draft=draft(moscow_service["visit_slot"], source="ours", product_id=camera.pk, purchase_date=purchased),
    )

    assert (repair.warranty, repair.is_warranty, repair.preliminary_cost) == ("unchecked", False, Decimal("2400.00"))


def test_intake_at_a_centre_costs_diagnostics_only(moscow_service):
    repair = repair_request_submit(
        user=UserFactory(),
        draft=draft(moscow_service["intake_slot"], repair_format="intake", centre=moscow_service["centre"], address=""),
    )

    assert (repair.centre, repair.visit_fee, repair.preliminary_cost) == (
        moscow_service["centre"],
        Decimal("0.00"),
        Decimal("1500.00"),
    )


def test_full_slot_refuses_the_request_and_saves_nothing(moscow_service):
    slot = moscow_service["visit_slot"]
    ServiceSlot.objects.filter(pk=slot.pk).update(booked=1)

    with pytest.raises(SlotTaken):
        repair_request_submit(user=UserFactory(), draft=draft(slot))

    assert RepairRequest.objects.count() == 0


@pytest.mark.parametrize(
    "wrong",
    ["other_region", "past", "centre_slot_for_visit", "other_centre"],
)
def test_slot_that_does_not_fit_the_request_is_refused(moscow_service, wrong):
    spb_technician = TechnicianFactory(regions=[region("78")])
    slots = {
        "other_region": ServiceSlot.objects.create(
            kind="visit", technician=spb_technician, starts_at=tomorrow_at(9), ends_at=tomorrow_at(12), capacity=1
        ),
        "past": ServiceSlot.objects.create(
            kind="visit",
            technician=moscow_service["technician"],
            starts_at=tomorrow_at(9, days=-2),
            ends_at=tomorrow_at(12, days=-2),
            capacity=1,
        ),
        "centre_slot_for_visit": moscow_service["intake_slot"],
    }
    if wrong == "other_centre":
        overrides = {
            "repair_format": "intake",
            "centre": ServiceCentreFactory(),
            "slot_id": moscow_service["intake_slot"].pk,
        }
    else:
        overrides = {"slot_id": slots[wrong].pk}

    with pytest.raises(SlotUnavailable):
        repair_request_submit(user=UserFactory(), draft=draft(moscow_service["visit_slot"], **overrides))

    assert ServiceSlot.objects.filter(booked__gt=0).count() == 0


def test_eleven_files_are_refused():
    with pytest.raises(ValidationError) as refused:
        repair_attachments_check(files=[jpeg(f"{i}.jpg") for i in range(11)])

    assert refused.value.messages == [TOO_MANY_FILES.format(count=11)]


def test_each_refused_file_is_named_with_its_reason():
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [
        jpeg("good.jpg"),
        SimpleUploadedFile("page.jpg", b"<html><body>hi</body></html>"),
        SimpleUploadedFile("empty.png", b""),
    ]

    with pytest.raises(ValidationError) as refused:
        repair_attachments_check(files=files)

    assert refused.value.messages == [
        "page.jpg: такой тип файла не принимается — только JPEG, PNG, WebP, MP4, MOV или PDF.",
        "empty.png: файл пустой.",
    ]


def test_repair_goes_through_every_status_with_history():
    staff = UserFactory(is_staff=True)
    repair = RepairRequestFactory(status="confirmed")

    for status in ["diagnostics", "approval", "repair", "ready", "closed"]:
        repair = repair_request_set_status(request=repair, status=status, author=staff)

    assert [h.status for h in repair.history.all()] == ["diagnostics", "approval", "repair", "ready", "closed"]
    assert {h.author for h in repair.history.all()} == {staff}


@pytest.mark.parametrize(("current", "target"), [("new", "ready"), ("closed", "repair"), ("cancelled", "confirmed")])
def test_status_move_outside_the_map_is_refused(current, target):
    repair = RepairRequestFactory(status=current)

    with pytest.raises(TransitionNotAllowed):
        repair_request_set_status(request=repair, status=target)

    repair.refresh_from_db()
    assert (repair.status, repair.history.count()) == (current, 0)


@pytest.mark.parametrize(
    ("approve", "status", "decision"), [(True, "repair", "approved"), (False, "cancelled", "declined")]
)
def test_customer_approves_or_declines_the_cost(approve, status, decision):
    repair = RepairRequestFactory(status="approval", repair_cost=Decimal("4500"))

    repair = repair_cost_decide(request=repair, user=repair.user, approve=approve)

    assert (repair.status, repair.cost_decision) == (status, decision)
    assert repair.history.get().author == repair.user


def test_cost_decision_outside_approval_is_refused():
    repair = RepairRequestFactory(status="diagnostics")

    with pytest.raises(DecisionNotExpected):
        repair_cost_decide(request=repair, user=repair.user, approve=True)


def test_cancelling_gives_the_slot_back(moscow_service):
    repair = repair_request_submit(user=UserFactory(), draft=draft(moscow_service["visit_slot"]))

    repair_request_set_status(request=repair, status="cancelled", author=repair.user)

    assert ServiceSlot.objects.get(pk=moscow_service["visit_slot"].pk).booked == 0


def installation_draft(moscow_service, packages, **overrides) -> InstallationDraft:
    values = {
        "region": region("77"),
        "object_type_id": None,
        "object_type_slug": "",
        "area_m2": 120,
        "floors": 1,
        "goals": ["video"],
        "desired_date": moscow_service["install_slot"].starts_at.date(),
        "package": packages["premium"],
        "slot_id": moscow_service["install_slot"].pk,
        "contact_name": "Ирина",
        "contact_phone": "+79161234567",
        "address": "г. Москва, ул. Тверская, д. 7",
    }
    return InstallationDraft(**{**values, **overrides})


def test_installation_saves_every_packages_estimate_and_takes_the_crews_slot(moscow_service, packages_and_rules):
    installation = installation_request_submit(
        user=UserFactory(), draft=installation_draft(moscow_service, packages_and_rules)
    )

    # Premium: 120 m² × 1.5 / 50 → 4 cameras × 2 500 + setup 3 000; cloud 490 a month.
    assert installation.number == "U-000001"
    assert (installation.one_time_total, installation.monthly_total) == (Decimal("13000.00"), Decimal("490.00"))
    assert (installation.crew, installation.status) == (moscow_service["crew"], "confirmed")
    lines = EstimateLine.objects.filter(request=installation)
    assert sorted({line.package.slug for line in lines}) == ["basic", "optimal", "premium"]
    assert lines.count() == 7
    assert ServiceSlot.objects.get(pk=moscow_service["install_slot"].pk).booked == 1


def test_installation_slot_on_another_date_is_refused(moscow_service, packages_and_rules):
    other_day = moscow_service["install_slot"].starts_at.date() + datetime.timedelta(days=1)

    with pytest.raises(SlotUnavailable):
        installation_request_submit(
            user=UserFactory(), draft=installation_draft(moscow_service, packages_and_rules, desired_date=other_day)
        )

    assert (InstallationRequest.objects.count(), ServiceSlot.objects.get(kind="install").booked) == (0, 0)


def test_slots_are_made_from_working_hours_and_not_twice():
    TechnicianFactory(work_days="12345", work_start=datetime.time(9), work_end=datetime.time(18), slot_minutes=180)
    CrewFactory(work_days="123456", work_start=datetime.time(9), work_end=datetime.time(17), slot_minutes=240)
    ServiceCentreFactory(
        work_days="1234567", work_start=datetime.time(10), work_end=datetime.time(20), slot_minutes=300
    )
    monday = datetime.date(2026, 11, 23)

    created = service_slots_generate(days=7, today=monday)
    again = service_slots_generate(days=7, today=monday)

    # Tue 24 – Mon 30: technician 5 weekdays × 3, crew 6 days × 2, centre 7 days × 2 × (intake + courier).
    assert (created, again) == (15 + 12 + 28, 0)
    first = ServiceSlot.objects.filter(kind="visit").order_by("starts_at").first()
    assert first.starts_at.isoformat() == "2026-11-24T06:00:00+00:00"


def test_full_technician_at_the_chosen_time_is_replaced_by_another_free_one(moscow_service):
    chosen = moscow_service["visit_slot"]
    ServiceSlot.objects.filter(pk=chosen.pk).update(booked=1)
    colleague = TechnicianFactory(name="Алексей Смирнов")
    free = ServiceSlot.objects.create(
        kind="visit", technician=colleague, starts_at=chosen.starts_at, ends_at=chosen.ends_at, capacity=1
    )

    repair = repair_request_submit(user=UserFactory(), draft=draft(chosen))

    assert repair.slot == free
    assert ServiceSlot.objects.get(pk=free.pk).booked == 1
