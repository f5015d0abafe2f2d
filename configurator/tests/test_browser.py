"""The configurator in Chromium at a laptop's and a phone's width: a passing kit, a swap that breaks the channel
check, «Оптимальный» back, the kit into the cart, the installation request filled in, axe-core and screenshots."""

import os
import re
from pathlib import Path

import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from core.models import Region
from demo.cctv import demo_cctv_seed
from demo.seed import demo_catalog_seed
from demo.service import demo_service_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "tests" / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("SHOP_SCREENSHOTS", "/tmp/shop-screenshots"))


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def tab(chromium, live_server, request):
    context = chromium.new_context(base_url=live_server.url, locale="ru-RU", viewport=request.param)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def customer():
    demo_catalog_seed(images=False)
    demo_cctv_seed(images=False)
    demo_service_seed()
    return UserFactory(email="oleg@example.ru", first_name="Олег", region=Region.objects.get(code="77"))


def serious_axe_violations(tab) -> list[str]:
    # Evaluated through the browser's protocol, not as a <script>: the shop's CSP allows no inline script.
    tab.evaluate(AXE.read_text(encoding="utf-8"))
    violations = tab.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


def checks(tab) -> dict[str, str]:
    items = tab.get_by_test_id("checks").locator("li")
    return {item.get_attribute("data-testid"): item.get_attribute("data-ok") for item in items.all()}


def money(text: str) -> int:
    return int(re.sub(r"\D", "", text.split(",")[0]))


def log_in(tab, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.get_by_label("Email или телефон").fill(email)
    tab.get_by_label("Пароль").fill(PASSWORD)
    tab.get_by_role("button", name="Войти").click()
    tab.wait_for_url(re.compile(r"/$"))


@pytest.mark.parametrize("tab", [DESKTOP, PHONE], ids=["1366", "390"], indirect=True)
def test_four_zones_to_a_passing_kit_in_the_cart_and_an_installation_request(tab, customer, screenshot_dir):
    width = tab.viewport_size["width"]
    log_in(tab, customer.email)
    # The last link of the header's category bar, scrolled to where the bar is full.
    tab.locator(".category-bar").get_by_role("link", name="Конфигуратор видеонаблюдения").click()
    tab.get_by_role("heading", name="Конфигуратор видеонаблюдения").wait_for()
    zones = [("Вход", "2", "На улице", "Распознавание лиц"), ("Периметр", "2", "На улице", "Обзор")]
    zones += [("Парковка", "1", "На улице", "Номера машин"), ("Склад", "2", "В помещении", "Обзор")]
    for index, (name, cameras, place, detail) in enumerate(zones):
        zone = tab.get_by_test_id(f"zone-{index}")
        zone.get_by_label("Зона").select_option(label=name)
        zone.get_by_label("Камер").fill(cameras)
        zone.get_by_label("Где").select_option(label=place)
        zone.get_by_label("Что видеть").select_option(label=detail)
    for index in (4, 5):
        tab.get_by_test_id(f"zone-{index}").get_by_label("Камер").fill("0")
    tab.get_by_label("Дней архива").fill("30")
    tab.get_by_label("По движению").check()
    tab.get_by_role("button", name="Подобрать комплект").click()

    tab.get_by_test_id("kit").wait_for()
    assert set(checks(tab).values()) == {"yes"}, checks(tab)
    assert "Архив:" in tab.get_by_test_id("check-archive").inner_text()
    assert "при записи по движению 40 %" in tab.get_by_test_id("check-archive").inner_text()
    schematic = tab.get_by_test_id("schematic")
    assert schematic.is_visible() and schematic.bounding_box()["width"] > 300
    assert "Парковка: 1 × камера" in schematic.text_content()
    tab.screenshot(path=str(screenshot_dir / f"configurator-kit-{width}.png"), full_page=True)
    assert serious_axe_violations(tab) == []

    recorders = tab.get_by_label("Регистратор", exact=True)
    four = recorders.locator("option", has_text="HiWatch DS-N204(C) 4 канала").get_attribute("value")
    with tab.expect_navigation():  # the shop's script submits a swap as soon as it is chosen
        recorders.select_option(value=four)
    channels = tab.get_by_test_id("check-channels")
    channels.wait_for()
    assert channels.get_attribute("data-ok") == "no"
    assert "Каналы: 7 из 4" in channels.inner_text()
    assert "выберите регистратор не меньше чем на 7 каналов" in channels.inner_text()
    assert "Каналы: 7 из 4" in tab.get_by_test_id("swap-broke").inner_text()
    tab.screenshot(path=str(screenshot_dir / f"configurator-swap-{width}.png"), full_page=True)

    tab.get_by_role("button", name="Оптимальный").click()
    tab.get_by_test_id("kit").wait_for()
    assert set(checks(tab).values()) == {"yes"}
    rows = tab.get_by_test_id("kit-lines").locator("tbody tr")
    kit = {row.locator("a").inner_text(): int(row.get_by_test_id("qty").inner_text()) for row in rows.all()}
    total = money(tab.get_by_test_id("kit-total").inner_text())
    configurator_url = tab.url

    tab.get_by_role("button", name="Добавить комплект в корзину").click()
    tab.wait_for_url(re.compile(r"/cart/$"))
    lines = tab.get_by_test_id("cart-line").all()
    in_cart = {
        line.get_by_test_id("cart-line-name").inner_text(): int(line.locator("input[name=quantity]").input_value())
        for line in lines
    }
    assert in_cart == kit
    assert money(tab.get_by_test_id("cart-total").first.inner_text()) == total
    tab.screenshot(path=str(screenshot_dir / f"configurator-cart-{width}.png"), full_page=True)

    tab.goto(configurator_url)
    tab.get_by_role("link", name="Заказать монтаж").click()
    tab.get_by_role("heading", name="Заявка на установку").wait_for()
    equipment = tab.get_by_label("Что уже куплено").input_value()
    assert equipment.startswith("Из конфигуратора: ") and "HW-DS-I456Z × 1" in equipment
    assert tab.get_by_label("Видеонаблюдение").is_checked()
    assert tab.get_by_label("Парковка").is_checked()
    assert "Укажите площадь" not in tab.get_by_test_id("estimate").inner_text()
    tab.screenshot(path=str(screenshot_dir / f"configurator-installation-{width}.png"), full_page=True)
    assert serious_axe_violations(tab) == []
