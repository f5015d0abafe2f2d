"""БП-5 in Chromium, by visible labels: «Оплата», a declined card, «Повторить оплату», paid, documents, an account."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from catalog.models import Stock, Warehouse
from catalog.tests.factories import CategoryFactory, StockFactory
from core.models import Region
from demo.checkout import demo_checkout_seed
from demo.orders import demo_seller_ensure
from orders.models import Order, OrderStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def camera():
    warehouse = Warehouse.objects.create(code="msk", name="Склад Москва", city="Москва")
    warehouse.regions.set(Region.objects.filter(code__in=["77", "50"]))
    demo_checkout_seed()
    demo_seller_ensure()
    return StockFactory(
        warehouse=warehouse,
        quantity=5,
        product__name="IP-камера уличная 4 Мп",
        product__price=Decimal("12990.00"),
        product__weight_kg=Decimal("0.8"),
        product__category=CategoryFactory(),
    ).product


def pay_with(page, number: str) -> None:
    page.get_by_label("Номер карты").fill(number)
    page.get_by_label("Срок действия").fill("12/30")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name=re.compile("^Оплатить")).click()


def pdf_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def test_guest_pays_by_card_after_a_decline_and_downloads_the_documents(page, camera, screenshot):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(camera.get_absolute_url())
    page.locator("form.add-to-cart").get_by_role("button", name="Добавить в корзину").click()
    page.get_by_text("Товар добавлен в корзину").wait_for()
    page.goto("/cart/")
    page.get_by_role("link", name="Оформить заказ").click()
    page.wait_for_url("**/checkout/")
    page.get_by_label("ФИО").fill("Иванова Ирина Петровна")
    page.get_by_label("Email", exact=True).fill("irina@example.ru")
    page.get_by_label("Регион", exact=True).select_option(label="Москва")
    page.wait_for_load_state()
    page.get_by_role("radio", name=re.compile("^Самовывоз")).check()
    page.wait_for_load_state()
    page.get_by_label(re.compile("Магазин «Охрана Плюс»")).check()
    page.get_by_role("button", name="Оплата").click()
    page.wait_for_url("**/checkout/payment/")

    page.get_by_label("Банковская карта").check()
    screenshot("payment-method-desktop")
    page.get_by_role("button", name="Подтвердить заказ").click()
    page.wait_for_url(re.compile(r"/orders/\d{4}-\d{6}/$"))
    order = Order.objects.get()
    assert page.get_by_test_id("order-status").inner_text() == "Ожидает оплаты"
    assert Stock.objects.get(product=camera).reserved == 1

    page.get_by_role("button", name="Оплатить").click()
    page.wait_for_url("**/payments/sandbox/**")
    screenshot("payment-sandbox-desktop")
    pay_with(page, "4000 0000 0000 0002")
    page.wait_for_url(f"**/orders/{order.number}/")
    assert "Оплата не прошла" in page.get_by_role("alert").first.inner_text()
    assert page.get_by_test_id("order-status").inner_text() == "Ожидает оплаты"
    screenshot("payment-declined-desktop")

    page.get_by_role("button", name="Повторить оплату").click()
    page.wait_for_url("**/payments/sandbox/**")
    pay_with(page, "4111 1111 1111 1111")
    page.wait_for_url(f"**/orders/{order.number}/")
    assert "Оплата прошла" in page.get_by_role("alert").first.inner_text()
    assert page.get_by_test_id("order-status").inner_text() == "Оплачен"
    assert Order.objects.get().status == OrderStatus.PAID
    screenshot("payment-paid-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("payment-paid-phone")

    documents = page.get_by_test_id("order-documents")
    receipt = documents.get_by_role("link", name="Чек (PDF)").get_attribute("href")
    warranty = documents.get_by_role("link", name="Гарантийный талон (PDF)").get_attribute("href")
    assert order.number in pdf_text(page, receipt)
    assert order.number in pdf_text(page, warranty)
    page.goto("/orders/")
    assert page.get_by_role("link", name=order.number).is_visible()

    # After the order, one password makes it an account; the guest is signed in.
    page.get_by_role("link", name=order.number).click()
    offer = page.get_by_test_id("account-offer")
    offer.get_by_label("Пароль").fill("12345678")
    offer.get_by_label("Даю согласие").check()
    offer.get_by_role("button", name="Создать аккаунт").click()
    assert page.get_by_text("Введённый пароль состоит только из цифр.").is_visible()
    screenshot("order-account-offer-error-desktop")
    offer.get_by_label("Пароль").fill("Zamok-Sinij-42")
    offer.get_by_role("button", name="Создать аккаунт").click()
    page.wait_for_url(f"**/orders/{order.number}/")
    assert f"Аккаунт создан, заказ {order.number}" in page.get_by_role("alert").first.inner_text()
    assert page.get_by_test_id("account-offer").count() == 0

    # The order is the account's, not the session's: it is there after signing in anew.
    page.context.clear_cookies()
    page.goto("/orders/")
    assert page.get_by_role("link", name=order.number).count() == 0
    page.goto("/accounts/login/")
    page.get_by_label("Email или телефон").fill("irina@example.ru")
    page.get_by_label("Пароль").fill("Zamok-Sinij-42")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/orders/")
    page.get_by_role("link", name=order.number).click()
    assert page.get_by_test_id("order-documents").get_by_role("link", name="Чек (PDF)").is_visible()
