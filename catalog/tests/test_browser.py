"""Journeys in Chromium: a customer browses the catalog; an admin adds and removes a product (БП-8, БП-9)."""

import pytest

from catalog.models import Category, Product
from catalog.tests.factories import WarehouseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_customer_browses_filters_and_opens_a_product(page, screenshot, cctv, make_products):
    make_products(30)
    page.goto("/")
    screenshot("home")
    page.get_by_role("link", name="Видеонаблюдение").first.click()
    page.wait_for_url("**/catalog/videonablyudenie/")
    assert page.get_by_test_id("total").inner_text() == "30 товаров"
    page.get_by_label("Dahua").check()  # filters apply on change
    page.wait_for_url("**brand=dahua**")
    assert page.get_by_test_id("total").inner_text() == "15 товаров"
    screenshot("category")
    page.get_by_role("link", name="Сначала дороже").click()
    page.wait_for_url("**sort=-price**")
    first = page.get_by_test_id("product-card").first
    assert "Dahua" in first.inner_text()
    first.get_by_role("link").nth(1).click()
    page.wait_for_url("**/product/**")
    assert page.locator("form.add-to-cart").get_by_role("button", name="Добавить в корзину").is_visible()
    page.get_by_role("button", name="Больше").click()
    assert page.get_by_label("Количество").input_value() == "2"
    screenshot("product")


def test_search_from_the_header_finds_by_word_form(page, cctv, make_products):
    make_products(4)
    page.goto("/")
    page.get_by_placeholder("Поиск").fill("камеры dahua")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=**")
    cards = page.get_by_test_id("product-card")
    assert cards.count() == 2
    assert all("Dahua" in text for text in cards.all_inner_texts())


def test_admin_adds_then_deletes_a_product(page, screenshot, django_user_model):
    django_user_model.objects.create_superuser(email="admin@example.com", password="admin-pass-123")
    WarehouseFactory()
    page.goto("/admin/")
    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Пароль").fill("admin-pass-123")
    page.get_by_role("button", name="Войти").click()
    page.goto("/admin/catalog/product/add/")
    page.locator("#id_name").press_sequentially("Датчик протечки Нептун SW005")
    assert page.locator("#id_slug").input_value().startswith("datchik-protechki")  # transliterated in the browser
    page.locator("#id_sku").fill("NEP-SW005")
    # The category field is an autocomplete widget; pick the option the way its search would.
    category = Category.objects.get(slug="datchiki")
    page.evaluate(
        "([id, name]) => { const s = document.querySelector('#id_category');"
        " s.add(new Option(name, id, true, true)); s.dispatchEvent(new Event('change')); }",
        [str(category.pk), category.name],
    )
    page.locator("#id_price").fill("0")
    page.locator("input[name=stocks-0-quantity]").fill("7")
    page.get_by_role("button", name="Сохранить", exact=True).first.click()
    page.get_by_text("Цена должна быть больше нуля.").wait_for()
    assert page.locator("#id_name").input_value() == "Датчик протечки Нептун SW005"
    page.locator("#id_price").fill("2490")
    page.get_by_role("button", name="Сохранить", exact=True).first.click()
    page.wait_for_url("**/admin/catalog/product/")
    product = Product.objects.get(sku="NEP-SW005")
    assert product.stocks.get().quantity == 7
    page.goto(product.get_absolute_url())
    assert page.get_by_test_id("price").inner_text() == "2\xa0490\xa0₽"

    page.goto(f"/admin/catalog/product/{product.pk}/change/")
    page.get_by_role("link", name="Удалить").first.click()
    screenshot("admin-delete-confirmation")
    page.get_by_role("button", name="Да, я уверен").click()
    page.wait_for_url("**/admin/catalog/product/")
    assert not Product.objects.filter(sku="NEP-SW005").exists()
    assert page.goto(f"/product/{product.slug}/").status == 404
