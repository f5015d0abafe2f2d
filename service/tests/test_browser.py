"""БП-6 and БП-7 in Chromium, by visible labels: a warranty and a paid repair, an installation up to its act."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from accounts.tests.factories import PASSWORD, UserFactory
from demo.service import demo_service_seed
from orders.tests.factories import seller
from service.models import InstallationRequest, RepairAttachment, RepairRequest
from service.services import installation_request_set_status
from service.tests.factories import bought, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"
AXE = Path(__file__).resolve().parents[2] / "tests" / "vendor" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    """Run axe-core on the open page; return every finding, whatever its impact, readable."""
    # Evaluated through the browser's protocol, not as a <script>: the shop's CSP allows no inline script.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:5]}" for v in violations]


@pytest.fixture
def customer():
    demo_service_seed()
    return UserFactory(email="irina@example.ru", first_name="Ирина", region=region("77"))


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "camera.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "gray").save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def log_in(page, login: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email или телефон").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/$"))


def recalculated(page, action) -> None:
    """Do something that makes the form recalculate, and wait for the new page."""
    with page.expect_navigation():
        action()


def both_widths(page, screenshot, name: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_warranty_repair_of_a_camera_from_my_purchases_with_a_photo(page, customer, photo, screenshot):
    line = bought(customer, days_ago=120, warranty_months=24)
    paid_on = timezone.localtime(line.order.paid_at).date()
    camera = (
        "IP-камера HiWatch DS-I450M 4 Мп (HW-DS-I450M-28, S/N SN-0042), "
        f"заказ 2026-000001, гарантия с {paid_on:%d.%m.%Y}"
    )
    log_in(page, customer.email)
    page.goto("/service/repair/new/")
    recalculated(page, lambda: page.get_by_label("Из моих покупок").select_option(label=camera))

    assert page.get_by_test_id("warranty-verdict").inner_text() == "Гарантийный ремонт — бесплатно"
    assert "S/N SN-0042" in page.get_by_test_id("chosen-purchase").inner_text()
    page.get_by_label("Нет изображения").check()
    page.get_by_label("Описание").fill("Ночью картинка пропадает")
    page.get_by_label("Адрес").fill("г. Москва, ул. Тверская, д. 7, кв. 12")
    page.get_by_label("Доступ: домофон, этаж, пропуск").fill("Домофон 12, 4 этаж")
    page.get_by_label("Телефон для связи").fill("+7 916 123-45-67")
    page.get_by_test_id("service-slots").locator("label").first.click()
    page.get_by_label("Файлы").set_input_files(str(photo))
    both_widths(page, screenshot, "service-repair-form")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Подтвердить заявку").click()

    page.get_by_role("alert").filter(has_text="Заявка R-000001 подтверждена").wait_for()
    main = page.inner_text("main")
    assert "IP-камера HiWatch DS-I450M 4 Мп, S/N SN-0042" in main
    assert f"Куплено у нас, {paid_on.day}" in main
    assert page.get_by_test_id("request-cost").inner_text() == "Гарантийный ремонт — бесплатно"
    assert page.get_by_test_id("request-status").inner_text() == "Подтверждена"
    timeline = page.get_by_test_id("timeline").locator("li")
    assert timeline.locator(".fw-semibold").all_inner_texts() == ["Новая", "Подтверждена"]
    assert timeline.all_inner_texts()[-1].endswith("· вы")
    both_widths(page, screenshot, "service-request-page")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="camera.jpg").click()
    assert Path(download.value.path()).read_bytes() == photo.read_bytes()
    repair = RepairRequest.objects.get()
    assert (repair.order_line_id, repair.serial_number, repair.is_warranty) == (line.pk, "SN-0042", True)
    assert repair.slot.technician.name in {"Сергей Петров", "Алексей Смирнов"}
    assert RepairAttachment.objects.get().original_name == "camera.jpg"


def test_paid_repair_brought_to_the_service_centre(page, customer, screenshot):
    log_in(page, customer.email)
    page.goto("/service/repair/new/")
    page.get_by_label("Модель оборудования").fill("Видеорегистратор Dahua 8 каналов")
    recalculated(page, lambda: page.get_by_label("В другом магазине").check())
    recalculated(page, lambda: page.get_by_label("Привезу в сервис-центр сам").check())
    recalculated(
        page,
        lambda: page.get_by_label("Сервис-центр", exact=True).select_option(
            label="Сервис-центр на Электродной, г. Москва, ул. Электродная, д. 2, стр. 12"
        ),
    )

    assert page.get_by_test_id("warranty-verdict").inner_text() == "Куплено не у нас: ремонт платный"
    assert page.get_by_test_id("repair-total").inner_text() == f"1{NBSP}500{NBSP}₽"
    page.get_by_label("Нет записи").check()
    page.get_by_label("Телефон для связи").fill("+7 916 123-45-67")
    page.get_by_test_id("service-slots").locator("label").first.click()
    page.get_by_role("button", name="Подтвердить заявку").click()

    page.get_by_role("alert").filter(has_text="Заявка R-000001 подтверждена").wait_for()
    assert page.get_by_test_id("request-cost").inner_text() == f"Платный ремонт: предварительно 1{NBSP}500{NBSP}₽"
    assert RepairRequest.objects.get().centre.name == "Сервис-центр на Электродной"


def next_working_day() -> datetime.date:
    day = datetime.date.today() + datetime.timedelta(days=2)
    return day + datetime.timedelta(days=1) if day.isoweekday() == 7 else day


def test_installation_picks_a_package_and_a_crews_slot(page, customer, screenshot):
    seller()
    log_in(page, customer.email)
    page.goto("/service/installation/new/")
    recalculated(page, lambda: page.get_by_label("Тип объекта").select_option(label="Квартира"))
    page.get_by_label("Площадь, м²").fill("90")
    recalculated(page, lambda: page.get_by_label("Видеонаблюдение").check())

    for name in ["Базовый", "Оптимальный", "Премиум"]:
        assert page.get_by_label(name).is_visible()
    recalculated(page, lambda: page.get_by_label("Желаемая дата").fill(next_working_day().isoformat()))
    page.get_by_label("Оптимальный").check()
    page.get_by_test_id("service-slots").locator("label", has_text="Бригада Иванова").first.click()
    page.get_by_label("Адрес объекта").fill("г. Москва, ул. Профсоюзная, д. 3, кв. 40")
    page.get_by_label("Телефон для связи").fill("+7 916 123-45-67")
    both_widths(page, screenshot, "service-installation-form")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Подтвердить заявку").click()

    page.get_by_role("alert").filter(has_text="Заявка U-000001 подтверждена").wait_for()
    assert page.get_by_role("heading", name="Установка: пакет «Оптимальный»").is_visible()
    assert "Бригада: Бригада Иванова" in page.inner_text("main")
    installation = InstallationRequest.objects.get()
    assert (installation.package.slug, installation.crew.name) == ("optimal", "Бригада Иванова")
    assert installation.slot.starts_at.date() == next_working_day()

    for status in ["installing", "handed_over"]:
        installation_request_set_status(request=installation, status=status)
    page.reload()
    assert page.get_by_test_id("request-status").inner_text() == "Система передана клиенту"
    both_widths(page, screenshot, "service-installation-request")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Акт выполненных работ (PDF)").click()
    assert download.value.suggested_filename == "act-U-000001.pdf"
    act = " ".join(PdfReader(download.value.path()).pages[0].extract_text().split())
    assert "Акт выполненных работ № U-000001" in act and "Бригада Иванова" in act
