"""The storefront in Chromium at a laptop's and a phone's width: cart buttons on tiles, the phone layout,
the shop's own error pages, accessibility (axe-core) and screenshots of every main page."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Stock
from catalog.tests.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "tests" / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
PASSWORD = "Kamera-2026-dom"
SCREENSHOTS = Path(os.environ.get("SHOP_SCREENSHOTS", "/tmp/shop-screenshots"))


@pytest.fixture
def tab(chromium, live_server, request):
    """A fresh tab at the width the test is parametrized with."""
    viewport = request.node.callspec.params["viewport"]
    context = chromium.new_context(base_url=live_server.url, locale="ru-RU", viewport=viewport)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def shoot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}-{tab.viewport_size['width']}.png"), full_page=True)


def _shot_path(tab, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}-{tab.viewport_size['width']}.png"


def serious_axe_violations(tab) -> list[str]:
    """Run axe-core on the open page; return its serious and critical findings, readable."""
    # Evaluated through the browser's protocol, not as a <script>: the shop's CSP allows no inline script.
    tab.evaluate(AXE.read_text(encoding="utf-8"))
    violations = tab.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


def added(tab) -> None:
    tab.get_by_text("Товар добавлен в корзину").wait_for()
    assert "csrfmiddlewaretoken" not in tab.url


IN_VIEW = "e => { const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"


def in_view(tab, selector: str) -> bool:
    """Whether the element is wholly inside the window (not merely somewhere on the page), once loaded."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tab.wait_for_load_state("load")
    try:
        tab.wait_for_function(f"s => ({IN_VIEW})(document.querySelector(s))", arg=selector, timeout=3000)
    except PlaywrightTimeout:
        return False
    return True


@WIDTHS
@pytest.mark.parametrize("query", ["", "?brand=dahua&sort=price"], ids=["all", "filtered"])
def test_add_to_cart_from_the_first_a_middle_and_the_last_tile(tab, viewport, query, make_products):
    make_products(30)
    Stock.objects.update(quantity=10)  # every tile orderable: the first tile has its button
    tab.goto(f"/catalog/ip-kamery/{query}")
    cards = tab.get_by_test_id("product-card")
    count = cards.count()
    assert count == (24 if not query else 15)
    chosen = []
    for index, place in ((0, "first"), (count // 2, "middle"), (count - 1, "last")):
        card = tab.get_by_test_id("product-card").nth(index)
        card_id = card.get_attribute("id")
        chosen.append(card.locator(".product-card__title").get_attribute("title"))
        card.get_by_role("button", name="Добавить в корзину").click()
        message = tab.get_by_role("alert").filter(has_text="Товар добавлен в корзину")
        message.wait_for()
        # Back at the same tile of the same filtered page, with the message in view beside it.
        assert tab.url.endswith(f"/catalog/ip-kamery/{query}#{card_id}")
        assert "csrfmiddlewaretoken" not in tab.url
        assert in_view(tab, f"#{card_id}"), f"the {place} tile is out of view after adding"
        assert in_view(tab, ".messages .alert-success"), (
            f"the message is out of view after adding from the {place} tile"
        )
        if query:
            tab.screenshot(path=str(_shot_path(tab, f"added-from-{place}-tile")))

    tab.goto("/cart/")
    names = tab.get_by_test_id("cart-line-name").all_inner_texts()
    assert sorted(names) == sorted(chosen)
    assert tab.get_by_test_id("header-cart-count").inner_text() == "3"


@WIDTHS
def test_category_page_fits_the_screen_with_filters_behind_a_button_on_phones(tab, viewport, make_products):
    make_products(30)
    tab.goto("/catalog/ip-kamery/?brand=dahua&in_stock=1")
    width, height = viewport["width"], viewport["height"]
    assert tab.evaluate("document.documentElement.scrollWidth") == width

    # Search and cart stay in the header at every width.
    assert tab.get_by_role("searchbox", name="Поиск по каталогу").is_visible()
    assert tab.get_by_test_id("header-cart").is_visible()

    first = tab.get_by_test_id("product-card").first.bounding_box()
    assert first["y"] < height  # the first product starts on the first screen
    sort = tab.get_by_label("Сортировка:") if width < 768 else tab.get_by_role("link", name="Сначала дешевле")
    box = sort.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width

    toggle = tab.get_by_test_id("filters-toggle")
    brand = tab.get_by_label("Dahua")
    if width < 992:
        assert toggle.inner_text() == "Фильтры 2"
        assert not brand.is_visible()
        toggle.click()
        assert brand.is_visible() and brand.is_checked()
        shoot(tab, "category-filters-open")
        tab.get_by_label("Сортировка:").select_option(label="Сначала дешевле")
    else:
        assert not toggle.is_visible()
        assert brand.is_visible()
        tab.get_by_role("link", name="Сначала дешевле").click()
    tab.wait_for_url(re.compile(r"sort=price"))
    assert "brand=dahua" in tab.url
    prices = tab.locator(".product-card .price.fs-5").all_inner_texts()
    assert prices == sorted(prices, key=lambda p: int(re.sub(r"\D", "", p)))


@WIDTHS
def test_missing_page_is_the_shops_own_404(tab, viewport):
    product = ProductFactory(slug="snyatyj-tovar")
    product.delete()

    response = tab.goto("/product/snyatyj-tovar/")

    assert response.status == 404
    assert tab.get_by_role("heading", name="Такой страницы нет").is_visible()
    assert tab.get_by_role("searchbox", name="Поиск по каталогу").first.is_visible()
    assert tab.get_by_role("link", name="На главную").is_visible()
    assert serious_axe_violations(tab) == []
    shoot(tab, "404")
    tab.get_by_role("searchbox").last.fill("камера")
    tab.get_by_role("searchbox").last.press("Enter")
    tab.wait_for_url(re.compile(r"/search/\?q="))


@WIDTHS
def test_shop_pages_pass_axe_and_show_phones_formatted(tab, viewport, make_products):
    product = make_products(12)[-1]
    Stock.objects.filter(product=product).update(quantity=10)
    get_user_model().objects.create_user(phone="+79163863161", password=PASSWORD)

    pages = {
        "home": "/",
        "category": "/catalog/videonablyudenie/",
        "product": product.get_absolute_url(),
        "search": "/search/?q=камера",
        "signup": "/accounts/signup/",
        "login": "/accounts/login/",
    }
    found = {}
    for name, url in pages.items():
        assert tab.goto(url).status == 200
        found[name] = serious_axe_violations(tab)
        shoot(tab, name)
    tab.goto(product.get_absolute_url())
    tab.locator("form.add-to-cart").get_by_role("button", name="Добавить в корзину").click()
    added(tab)

    tab.goto("/accounts/login/")
    tab.get_by_label("Email или телефон").fill("+79163863161")
    tab.get_by_label("Пароль").fill(PASSWORD)
    tab.get_by_role("button", name="Войти").click()
    tab.wait_for_url(re.compile(r"/$"))
    for name, url in {"cart": "/cart/", "profile": "/accounts/profile/"}.items():
        assert tab.goto(url).status == 200
        found[name] = serious_axe_violations(tab)
        shoot(tab, name)

    assert found == {name: [] for name in found}
    # The profile and the header show the phone as people write it.
    assert tab.get_by_test_id("profile-phone").inner_text() == "+7 916 386-31-61"
    if viewport["width"] < 992:
        tab.get_by_role("button", name="Меню").click()
    assert tab.get_by_test_id("header-profile").inner_text() == "+7 916 386-31-61"


@WIDTHS
def test_admin_product_list_fits_without_sideways_scrolling(tab, viewport, make_products):
    make_products(30)
    get_user_model().objects.create_superuser(email="admin@example.ru", password=PASSWORD)
    tab.goto("/accounts/login/")
    tab.get_by_label("Email или телефон").fill("admin@example.ru")
    tab.get_by_label("Пароль").fill(PASSWORD)
    tab.get_by_role("button", name="Войти").click()
    tab.wait_for_url(re.compile(r"/$"))

    tab.goto("/admin/catalog/product/")
    shoot(tab, "admin-products")
    if viewport["width"] >= 1366:
        results = tab.locator("#changelist-form .results")
        assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
        # Prices and stock on one line each: the text of a cell makes a single line box.
        one_line = (
            "el => { const r = document.createRange(); r.selectNodeContents(el); return r.getClientRects().length; }"
        )
        for column in ("price_display", "stock_total"):
            assert tab.locator(f"#result_list td.field-{column}").first.evaluate(one_line) == 1
