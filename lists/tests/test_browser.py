"""The lists in Chromium at a laptop's and a phone's width: compare three cameras, favourite one as a guest and
find it after signing in, «Вы смотрели» on a product page; axe finds nothing serious; screenshots of each page."""

import re

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Stock
from catalog.tests.test_storefront_browser import PASSWORD, WIDTHS, serious_axe_violations, shoot, tab  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _count(tab, kind: str) -> str:  # noqa: F811
    return tab.get_by_test_id(f"header-{kind}").locator("[data-lists-count]").inner_text()


@WIDTHS
def test_compare_three_cameras_and_keep_a_favourite_across_the_login(tab, viewport, make_products):  # noqa: F811
    make_products(30)
    Stock.objects.update(quantity=10)
    get_user_model().objects.create_user(email="buyer@example.ru", password=PASSWORD)

    tab.goto("/catalog/ip-kamery/")
    cards = tab.get_by_test_id("product-card")
    count = cards.count()
    chosen = []
    for index in (0, count // 2, count - 1):
        card = cards.nth(index)
        chosen.append(card.locator(".product-card__title").get_attribute("title"))
        card.get_by_role("button", name="Сравнить").click()
        # Toggled in place by the script: the button says so and the header counts it.
        card.get_by_role("button", name="В сравнении").wait_for()
    assert _count(tab, "compare") == "3"
    assert tab.url.endswith("/catalog/ip-kamery/")
    shoot(tab, "lists-tiles")

    tab.get_by_test_id("header-compare").click()
    tab.wait_for_url(re.compile(r"/compare/$"))
    names = tab.get_by_test_id("compare-product").locator("a.fw-semibold").all_inner_texts()
    assert names == chosen
    shoot(tab, "lists-compare")
    assert serious_axe_violations(tab) == []
    if viewport["width"] < 768:
        # The table scrolls sideways inside its frame; the page itself does not.
        assert tab.evaluate("document.documentElement.scrollWidth") == viewport["width"]
        assert tab.evaluate("(e => e.scrollWidth > e.clientWidth)(document.querySelector('.compare-scroll'))")

    all_rows = tab.get_by_test_id("compare-row").count()
    tab.get_by_role("link", name="Только различия").click()
    tab.wait_for_url(re.compile(r"diff=1"))
    assert tab.get_by_role("link", name="Только различия").get_attribute("aria-current") == "page"
    assert tab.get_by_test_id("compare-row").count() <= all_rows

    tab.get_by_test_id("compare-product").first.get_by_role("button", name=re.compile("Добавить в корзину")).click()
    tab.get_by_text("Товар добавлен в корзину").wait_for()
    assert tab.get_by_test_id("header-cart-count").inner_text() == "1"

    tab.goto("/catalog/ip-kamery/")
    favourite = tab.get_by_test_id("product-card").nth(1)
    name = favourite.locator(".product-card__title").get_attribute("title")
    favourite.get_by_role("button", name="В избранное").click()
    favourite.get_by_role("button", name="В избранном").wait_for()
    assert _count(tab, "favorites") == "1"

    # «Вы смотрели» on the next product page: the one opened before, asked for by the script.
    first, second = tab.get_by_test_id("product-card").nth(2), tab.get_by_test_id("product-card").nth(3)
    first_name = first.locator(".product-card__title").get_attribute("title")
    second_url = second.locator(".product-card__title").get_attribute("href")
    first.locator(".product-card__title").click()
    tab.wait_for_load_state("load")
    tab.goto(second_url)
    viewed = tab.get_by_role("region", name="Вы смотрели")
    viewed.wait_for()
    assert viewed.get_by_test_id("product-card").locator(".product-card__title").all_inner_texts() == [first_name]
    assert serious_axe_violations(tab) == []
    shoot(tab, "lists-viewed")

    tab.goto("/accounts/login/")
    tab.get_by_label("Email или телефон").fill("buyer@example.ru")
    tab.get_by_label("Пароль").fill(PASSWORD)
    tab.get_by_role("button", name="Войти").click()
    tab.wait_for_url(re.compile(r"/$"))
    tab.goto("/favorites/")
    assert tab.get_by_test_id("favorite").locator("a.fw-semibold").all_inner_texts() == [name]
    assert _count(tab, "favorites") == "1"
    assert _count(tab, "compare") == "3"
    assert serious_axe_violations(tab) == []
    shoot(tab, "lists-favorites")
