"""The act of completed works: made by Celery once the system is handed over, private, made again on request."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from core.models import StaffDownload
from orders.tests.factories import seller
from service import tasks
from service.documents import installation_act_make, installation_acts_missing
from service.models import EstimateLine, InstallationRequest, InstallationStatus, WorkLine
from service.services import installation_request_set_status
from service.tests.factories import (
    CrewFactory,
    InstallationPackageFactory,
    InstallationRequestFactory,
    ServiceSlotFactory,
    staff_with,
    tomorrow_at,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
ACT_LINK = "Акт выполненных работ (PDF)"


def text_of(installation: InstallationRequest) -> str:
    with installation.act.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return text.replace(NBSP, " ")


def line(installation, package, section, name, quantity, unit, price, position) -> EstimateLine:
    quantity, price = Decimal(quantity), Decimal(price)
    return EstimateLine.objects.create(
        request=installation,
        package=package,
        section=section,
        name=name,
        unit=unit,
        quantity=quantity,
        price=price,
        total=quantity * price,
        position=position,
    )


@pytest.fixture
def installation():
    """U-…: «Оптимальный» chosen (works 10 500 ₽, materials 1 680 ₽, cloud 490 ₽ a month), «Премиум» offered too."""
    seller()
    optimal = InstallationPackageFactory(slug="optimal", name="Оптимальный")
    premium = InstallationPackageFactory(slug="premium", name="Премиум", position=3)
    crew = CrewFactory(name="Бригада Иванова", leader="Иванов И. И.")
    slot = ServiceSlotFactory(kind="install", crew=crew, starts_at=tomorrow_at(9, days=3))
    installation = InstallationRequestFactory(
        user=UserFactory(first_name="Ирина", last_name="Соколова"),
        package=optimal,
        crew=crew,
        slot=slot,
        contact_name="Пётр, охранник",
        address="г. Москва, ул. Профсоюзная, д. 3, кв. 40",
        area_m2=90,
        floors=2,
    )
    line(installation, optimal, "works", "Монтаж камеры", "3", "шт", "2500.00", 0)
    line(installation, optimal, "works", "Настройка системы", "1", "шт", "3000.00", 1)
    line(installation, optimal, "materials", "Кабель UTP и питания", "48", "м", "35.00", 2)
    line(installation, optimal, "extras", "Облачная запись", "1", "мес", "490.00", 3)
    line(installation, premium, "works", "Монтаж камеры премиум", "5", "шт", "2500.00", 0)
    return installation


def hand_over(installation, django_capture_on_commit_callbacks, *, until=InstallationStatus.HANDED_OVER):
    path = [InstallationStatus.CONFIRMED, InstallationStatus.INSTALLING, InstallationStatus.HANDED_OVER]
    path += [InstallationStatus.CLOSED] if until == InstallationStatus.CLOSED else []
    with django_capture_on_commit_callbacks(execute=True):
        for status in path:
            installation_request_set_status(request=installation, status=status)
    installation.refresh_from_db()
    return installation


def test_handover_makes_the_act_with_the_chosen_package_vat_totals_crew_dates_and_signatures(
    installation, django_capture_on_commit_callbacks
):
    hand_over(installation, django_capture_on_commit_callbacks)

    text = text_of(installation)
    assert f"Акт выполненных работ № {installation.number}" in text
    assert "ООО «Охрана Плюс», ИНН 7701234560, КПП 770101001" in text
    assert "Заказчик: Ирина Соколова" in text
    assert "Контакт на объекте: Пётр, охранник, тел. +7 916 123-45-67" in text
    assert "г. Москва, ул. Профсоюзная, д. 3, кв. 40" in text
    assert "90 м², 2 этажа" in text
    assert "Бригада Иванова, бригадир Иванов И. И." in text
    assert f"{installation.slot.starts_at:%Y}" in text and "Передача системы" in text
    assert "Монтаж камеры 3 шт 2 500 ₽ 7 500 ₽ НДС 22% 1 352,46 ₽" in text
    assert "Кабель UTP и питания 48 м 35 ₽ 1 680 ₽ НДС 22% 302,95 ₽" in text
    assert "Монтаж камеры премиум" not in text
    assert "Итого: 12 180 ₽" in text
    # 1 352,46 + 540,98 + 302,95: VAT is taken inside every line and summed, as core.vat does.
    assert "В т.ч. НДС 22%: 2 196,39 ₽" in text
    assert "Двенадцать тысяч сто восемьдесят рублей 00 копеек" in text
    assert "Облачная запись 490 ₽" in text and "Итого в месяц: 490 ₽" in text
    assert "/ Петров П. П. /" in text and "/ Соколова И. /" in text


def test_the_handover_enqueues_the_act_once(installation, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(tasks.installation_act_task, "delay", lambda **kwargs: sent.append(kwargs))

    hand_over(installation, django_capture_on_commit_callbacks, until=InstallationStatus.CLOSED)

    assert sent == [{"request_id": installation.pk}]


def test_making_the_act_again_overwrites_it(installation, django_capture_on_commit_callbacks):
    hand_over(installation, django_capture_on_commit_callbacks)
    first = installation.act.name

    installation_act_make(request_id=installation.pk)

    installation.refresh_from_db()
    assert installation.act.name == first == f"acts/act-{installation.number}.pdf"
    assert [p.name for p in Path(installation.act.path).parent.iterdir()] == [f"act-{installation.number}.pdf"]


def test_no_act_before_the_handover(installation):
    assert installation_act_make(request_id=installation.pk) == ""

    installation.refresh_from_db()
    assert not installation.act


def test_the_sweep_makes_the_acts_a_broker_outage_left_unmade(
    installation, monkeypatch, django_capture_on_commit_callbacks
):
    def down(**kwargs):
        raise ConnectionError("redis is down")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.installation_act_task, "delay", down)
        hand_over(installation, django_capture_on_commit_callbacks)
    assert not installation.act
    assert installation_acts_missing() == [installation.pk]

    assert tasks.service_acts_sweep_task.delay().get() == 1

    installation.refresh_from_db()
    assert installation.act and installation_acts_missing() == []


@pytest.fixture
def handed_over(installation, django_capture_on_commit_callbacks):
    return hand_over(installation, django_capture_on_commit_callbacks)


def test_the_owner_downloads_the_act_from_the_request_page(client, handed_over):
    client.force_login(handed_over.user)

    page = client.get(handed_over.get_absolute_url()).content.decode()
    response = client.get(f"/service/requests/{handed_over.number}/act.pdf")

    assert ACT_LINK in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="act-{handed_over.number}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_who_may_view_installations_download_any_act_and_it_is_recorded(client, handed_over):
    manager = staff_with("view_installationrequest")
    client.force_login(manager)

    response = client.get(f"/service/requests/{handed_over.number}/act.pdf")

    assert response.status_code == 200
    record = StaffDownload.objects.get()
    assert (record.user, record.what, record.path) == (
        manager,
        f"Акт {handed_over.number}",
        f"/service/requests/{handed_over.number}/act.pdf",
    )


@pytest.mark.parametrize("permission", [None, "view_repairrequest"], ids=["no-permission", "repairs-only"])
def test_staff_without_the_installation_permission_get_404_for_an_act(client, handed_over, permission):
    client.force_login(staff_with(permission) if permission else UserFactory(is_staff=True))

    assert client.get(f"/service/requests/{handed_over.number}/act.pdf").status_code == 404
    assert not StaffDownload.objects.exists()


def test_the_owner_downloading_the_act_leaves_no_staff_record(client, handed_over):
    client.force_login(handed_over.user)

    assert client.get(f"/service/requests/{handed_over.number}/act.pdf").status_code == 200
    assert not StaffDownload.objects.exists()


@pytest.mark.parametrize("who", ["another customer", "guest"])
def test_nobody_else_gets_the_act(client, handed_over, who):
    if who == "another customer":
        client.force_login(UserFactory())

    response = client.get(f"/service/requests/{handed_over.number}/act.pdf")

    assert response.status_code == (404 if who == "another customer" else 302)


def test_an_act_not_made_yet_is_404_and_the_page_says_it_is_coming(client, installation, monkeypatch):
    monkeypatch.setattr(tasks.installation_act_task, "delay", lambda **kwargs: None)
    for status in [InstallationStatus.CONFIRMED, InstallationStatus.INSTALLING, InstallationStatus.HANDED_OVER]:
        installation_request_set_status(request=installation, status=status)
    client.force_login(installation.user)

    page = client.get(installation.get_absolute_url()).content.decode()

    assert "Акт выполненных работ готовится" in page and ACT_LINK not in page
    assert client.get(f"/service/requests/{installation.number}/act.pdf").status_code == 404


def test_admin_regenerates_the_act(client, handed_over):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    handed_over.act.storage.delete(handed_over.act.name)

    response = client.post(
        "/admin/service/installationrequest/",
        {"action": "regenerate_act", "_selected_action": [handed_over.pk]},
        follow=True,
    )

    assert f"Акт сформирован: {handed_over.number}" in response.content.decode()
    handed_over.refresh_from_db()
    assert handed_over.act.storage.exists(handed_over.act.name)
    assert client.get(f"/admin/service/installationrequest/{handed_over.pk}/change/").status_code == 200


def test_the_act_prints_the_final_cost_staff_agreed_not_the_preliminary_estimate(
    installation, django_capture_on_commit_callbacks
):
    installation_request_set_status(request=installation, status=InstallationStatus.CONFIRMED)
    installation_request_set_status(request=installation, status=InstallationStatus.INSTALLING)
    assert [(w.name, w.quantity) for w in installation.work_lines.all()] == [
        ("Монтаж камеры", Decimal("3.00")),
        ("Настройка системы", Decimal("1.00")),
        ("Кабель UTP и питания", Decimal("48.00")),
        ("Облачная запись", Decimal("1.00")),
    ]
    # On site: 60 m of cable instead of 48, and a fourth camera.
    installation.work_lines.filter(name="Кабель UTP и питания").update(quantity=60)
    installation.work_lines.filter(name="Монтаж камеры").update(quantity=4)
    WorkLine.objects.create(
        request=installation, section="materials", name="Кронштейн", unit="шт", quantity=1, price=450, position=9
    )

    hand_over_rest(installation, django_capture_on_commit_callbacks)

    text = text_of(installation)
    assert "Монтаж камеры 4 шт 2 500 ₽ 10 000 ₽" in text
    assert "Кабель UTP и питания 60 м 35 ₽ 2 100 ₽" in text
    assert "Кронштейн 1 шт 450 ₽ 450 ₽" in text
    # 10 000 + 3 000 + 2 100 + 450, not the estimate's 12 180.
    assert "Итого: 15 550 ₽" in text and "12 180" not in text
    assert "Пятнадцать тысяч пятьсот пятьдесят рублей 00 копеек" in text


def test_the_act_carries_the_requisites_of_402_fz_article_9(installation, django_capture_on_commit_callbacks):
    hand_over(installation, django_capture_on_commit_callbacks)

    text = text_of(installation)
    handed_over = installation.history.get(status=InstallationStatus.HANDED_OVER).created_at
    assert f"Акт выполненных работ № {installation.number} от " in text  # the document's name
    assert f"{timezone.localtime(handed_over):%Y} г." in text  # its date
    assert "Исполнитель: ООО «Охрана Плюс»" in text  # who made it
    assert "Монтаж камеры" in text and "Настройка системы" in text  # the fact of economic life
    assert "на сумму 12 180 ₽ (Двенадцать тысяч сто восемьдесят рублей 00 копеек), в российских рублях" in text
    assert "Работы сдал — Исполнитель, ООО «Охрана Плюс» Руководитель организации" in text  # positions
    assert "Работы принял — Заказчик" in text and "Работы выполнил — бригадир, Бригада Иванова" in text
    assert "______________ / Петров П. П. /" in text  # signatures with surnames and initials
    assert "______________ / Соколова И. /" in text
    assert "______________ / Иванов И. И. /" in text


def hand_over_rest(installation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        installation_request_set_status(request=installation, status=InstallationStatus.HANDED_OVER)
    installation.refresh_from_db()
    return installation


def test_staff_correct_the_final_lines_in_the_admin(client, installation):
    installation_request_set_status(request=installation, status=InstallationStatus.CONFIRMED)
    installation_request_set_status(request=installation, status=InstallationStatus.INSTALLING)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(f"/admin/service/installationrequest/{installation.pk}/change/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "итоговая стоимость (для акта)" in html.lower()
    assert 'name="work_lines-0-quantity"' in html
