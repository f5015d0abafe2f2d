"""БП-4 in Chromium, by visible labels: from the cart through checkout to «Оплата»."""

import re
from decimal import Decimal

import pytest

from accounts.tests.factories import PASSWORD, CompanyUserFactory, UserFactory
from accounts.validators import INN_CHECKSUM
from cart.tests.factories import CartFactory, CartLineFactory
from catalog.models import Warehouse
from catalog.tests.factories import CategoryFactory, StockFactory
from core.models import Region
from loyalty.services import points_earn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"


def rub(text: str) -> str:
    return text.replace(" ", NBSP) + f"{NBSP}₽"


def add_from_product_page(page, item) -> None:
    page.goto(item.get_absolute_url())
    page.locator("form.add-to-cart").get_by_role("button", name="Добавить в корзину").click()
    page.get_by_text("Товар добавлен в корзину").wait_for()


def log_in(page, login: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email или телефон").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/$"))


def choose_courier_with_window(page) -> None:
    page.get_by_label("Регион", exact=True).select_option(label="Москва")
    page.wait_for_load_state()
    page.get_by_role("radio", name=re.compile("^Курьер")).check()
    page.wait_for_load_state()
    page.get_by_test_id("courier-windows").locator("label", has_text="13:00–16:00").first.click()
    page.get_by_label("Адрес доставки").fill("г. Москва, ул. Тверская, д. 7, кв. 12")


def summary(page, name: str) -> str:
    return page.get_by_test_id(name).first.inner_text()


def test_guest_applies_welcome10_chooses_courier_to_moscow_and_reaches_payment(page, shop, screenshot):
    page.set_viewport_size({"width": 1366, "height": 900})
    add_from_product_page(page, shop["camera"])
    add_from_product_page(page, shop["sensor"])
    page.goto("/cart/")
    page.get_by_label(f"Количество: {shop['camera'].name}").fill("2")
    page.get_by_test_id("cart-line").filter(has_text=shop["camera"].name).get_by_role("button", name="Обновить").click()
    page.get_by_text("Количество обновлено").wait_for()
    screenshot("checkout-cart-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("checkout-cart-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("link", name="Оформить заказ").click()
    page.wait_for_url("**/checkout/")
    page.get_by_label("ФИО").fill("Иванова Ирина Петровна")
    page.get_by_label("Email", exact=True).fill("irina@example.ru")
    choose_courier_with_window(page)
    page.get_by_label("Промокод").fill("welcome10")
    page.get_by_role("button", name="Применить").click()
    page.get_by_test_id("promo-applied").wait_for()

    # 2 × 12 990 + 1 490 = 27 470; −10% = 24 723; courier 390 ₽ below the 30 000 ₽ threshold.
    assert summary(page, "sum-goods") == rub("27 470")
    assert summary(page, "sum-discount") == "−" + rub("2 747")
    assert summary(page, "sum-delivery") == rub("390")
    assert summary(page, "sum-total") == rub("25 113")
    assert page.get_by_label("ФИО").input_value() == "Иванова Ирина Петровна"
    assert page.get_by_test_id("courier-windows").locator("input:checked").count() == 1
    screenshot("checkout-guest-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("checkout-guest-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.reload()
    assert summary(page, "sum-total") == rub("25 113")

    page.get_by_role("button", name="Оплата").click()
    page.wait_for_url("**/checkout/payment/")
    assert page.get_by_role("heading", name="Оплата").is_visible()
    assert summary(page, "sum-total") == rub("25 113")
    assert "13:00–16:00" in page.get_by_test_id("order-delivery").inner_text()
    screenshot("checkout-payment-desktop")


def test_signed_in_customer_pays_part_with_points(page, shop, screenshot):
    user = UserFactory(first_name="Иван", last_name="Петров", region=Region.objects.get(code="77"))
    points_earn(user=user, amount=1500)
    CartLineFactory(cart=CartFactory(user=user, session_key=None), product=shop["camera"], quantity=1)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, user.email)

    page.goto("/cart/")
    page.get_by_role("link", name="Оформить заказ").click()
    assert page.get_by_label("ФИО").input_value() == "Петров Иван"
    assert "На счёте 1500 баллов" in page.get_by_test_id("points-balance").inner_text()
    page.get_by_role("radio", name=re.compile("^Самовывоз")).check()
    page.wait_for_load_state()
    page.get_by_label(re.compile("Магазин «Охрана Плюс»")).check()
    page.get_by_label("Оплатить баллами").fill("5000")
    page.get_by_role("button", name="Списать").click()
    assert "На счёте только 1500 баллов" in page.get_by_text("На счёте только").inner_text()

    page.get_by_label("Оплатить баллами").fill("1500")
    page.get_by_role("button", name="Списать").click()
    assert summary(page, "sum-points") == "−" + rub("1 500")
    assert summary(page, "sum-total") == rub("11 490")
    assert "Начислим 574 балла" in summary(page, "sum-earns")
    screenshot("checkout-points-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("checkout-points-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("button", name="Оплата").click()
    page.wait_for_url("**/checkout/payment/")
    assert summary(page, "sum-total") == rub("11 490")


def test_company_buyer_sees_its_details_and_the_vat_line(page, shop, screenshot):
    user = CompanyUserFactory(region=Region.objects.get(code="77"))
    CartLineFactory(cart=CartFactory(user=user, session_key=None), product=shop["camera"], quantity=1)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, user.email)

    page.goto("/checkout/")
    assert page.get_by_label("ИНН").input_value() == "7707083893"
    assert page.get_by_label("Название организации").input_value() == "ПАО Сбербанк"
    page.get_by_label("Название организации").fill("ПАО Сбербанк (филиал)")
    choose_courier_with_window(page)
    # 12 990 + 390 delivery; VAT 22/122 of each line: 2 342,46 + 70,33.
    assert page.get_by_test_id("sum-vat").inner_text().startswith("НДС")
    assert rub("2 412,79") in page.get_by_test_id("sum-vat").inner_text()
    screenshot("checkout-company-desktop")

    page.get_by_role("button", name="Оплата").click()
    page.wait_for_url("**/checkout/payment/")
    assert "ПАО Сбербанк (филиал), ИНН 7707083893" in page.get_by_test_id("order-delivery").inner_text()


def test_guest_buys_as_an_organisation_and_gets_an_invoice(page, shop, screenshot):
    from demo.orders import demo_seller_ensure

    demo_seller_ensure()
    page.set_viewport_size({"width": 1366, "height": 900})
    add_from_product_page(page, shop["camera"])
    page.goto("/cart/")
    page.get_by_role("link", name="Оформить заказ").click()
    page.wait_for_url("**/checkout/")
    assert "в т.ч. НДС" in summary(page, "sum-vat")

    page.get_by_label("Покупаю как организация").check()
    page.get_by_test_id("company-details").wait_for()
    page.get_by_label("Название организации").fill("ООО «Ромашка»")
    page.get_by_label("ИНН").fill("7707083894")
    page.get_by_label("КПП").fill("773601001")
    page.get_by_label("Юридический адрес").fill("125009, г. Москва, ул. Тверская, д. 7")
    page.get_by_label("Контактное лицо").fill("Петров Пётр")
    page.get_by_label("Email", exact=True).fill("zakupki@romashka.ru")
    choose_courier_with_window(page)
    page.get_by_role("button", name="Оплата").click()
    page.wait_for_url("**/checkout/")
    inn = page.get_by_label("ИНН")
    assert "is-invalid" in inn.get_attribute("class")
    assert page.get_by_text(INN_CHECKSUM).is_visible()
    assert page.get_by_label("Название организации").input_value() == "ООО «Ромашка»"
    assert page.get_by_label("Юридический адрес").input_value() == "125009, г. Москва, ул. Тверская, д. 7"
    screenshot("checkout-guest-company-error-desktop")

    inn.fill("7707083893")
    page.get_by_role("button", name="Оплата").click()
    page.wait_for_url("**/checkout/payment/")
    assert "ООО «Ромашка», ИНН 7707083893, КПП 773601001" in page.get_by_test_id("order-delivery").inner_text()
    # 12 990 + 390 delivery; VAT 22/122 of each line: 2 342,46 + 70,33, on a line of its own.
    assert summary(page, "sum-vat").startswith("НДС")
    assert rub("2 412,79") in summary(page, "sum-vat")
    page.get_by_label("Счёт для юрлиц").check()
    screenshot("checkout-guest-company-payment-desktop")
    page.get_by_role("button", name="Подтвердить заказ").click()
    page.wait_for_url(re.compile(r"/orders/\d{4}-\d{6}/$"))
    assert "ООО «Ромашка», ИНН 7707083893" in page.get_by_text("ООО «Ромашка», ИНН").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("order-guest-company-phone")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_guest_with_only_a_phone_pays_online_and_the_pages_fit_a_phone(page, shop, screenshot):
    long_name = "Комплект видеонаблюдения: 8 уличных IP-камер 8 Мп с ИК-подсветкой 60 м и видеорегистратор NVR-16"
    kit = StockFactory(
        warehouse=Warehouse.objects.get(code="msk"),
        quantity=20,
        product__name=long_name,
        product__price=Decimal("124990.00"),
        product__weight_kg=Decimal("9"),
        product__category=CategoryFactory(),
    ).product
    page.set_viewport_size({"width": 390, "height": 844})
    add_from_product_page(page, kit)
    add_from_product_page(page, shop["sensor"])
    page.goto("/checkout/")
    page.get_by_label("ФИО").fill("Иванова Ирина Петровна")
    page.get_by_label("Телефон").fill("+7 916 765-43-21")
    page.get_by_label("Регион", exact=True).select_option(label="Москва")
    page.wait_for_load_state()
    page.get_by_role("radio", name=re.compile("^Самовывоз")).check()
    page.wait_for_load_state()
    page.get_by_label(re.compile("Магазин «Охрана Плюс»")).check()
    page.get_by_role("button", name="Оплата").click()
    page.wait_for_url("**/checkout/payment/")

    assert fits_the_phone(page)
    assert "в т.ч. НДС 22%" in page.get_by_test_id("order-preview").inner_text()
    page.get_by_label("Банковская карта").check()
    page.get_by_role("button", name="Подтвердить заказ").click()
    email = page.get_by_label("Email для чека")
    assert "is-invalid" in email.get_attribute("class")
    assert page.get_by_text("чек приходит только на почту").is_visible()
    assert page.get_by_label("Банковская карта").is_checked()
    screenshot("payment-receipt-email-phone")
    email.fill("irina@example.ru")
    page.get_by_role("button", name="Подтвердить заказ").click()
    page.wait_for_url(re.compile(r"/orders/\d{4}-\d{6}/$"))

    assert fits_the_phone(page)
    pay = page.get_by_role("button", name="Оплатить")
    # The payment is on the first screen, above the lines and the offer of an account.
    assert pay.bounding_box()["y"] + pay.bounding_box()["height"] < 844
    assert "irina@example.ru" in page.get_by_text("irina@example.ru").inner_text()
    screenshot("order-guest-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot("order-guest-desktop")
