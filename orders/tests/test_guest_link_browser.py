"""A guest's order from the emailed link, in Chromium: a fresh browser opens it and downloads the invoice; the
order's address without the secret is 404 there."""

import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from orders.models import Order
from orders.tests.test_browser import add_from_product_page, choose_courier_with_window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guest_opens_the_emailed_link_in_a_fresh_browser_and_downloads_the_invoice(
    page,
    chromium,
    live_server,
    shop,
    screenshot,
):
    from demo.orders import demo_seller_ensure

    demo_seller_ensure()
    add_from_product_page(page, shop["camera"])
    page.goto("/cart/")
    page.get_by_role("link", name="Оформить заказ").click()
    page.wait_for_url("**/checkout/")
    page.get_by_label("Покупаю как организация").check()
    page.get_by_test_id("company-details").wait_for()
    page.get_by_label("Название организации").fill("ООО «Ромашка»")
    page.get_by_label("ИНН").fill("7707083893")
    page.get_by_label("КПП").fill("773601001")
    page.get_by_label("Юридический адрес").fill("125009, г. Москва, ул. Тверская, д. 7")
    page.get_by_label("Контактное лицо").fill("Петров Пётр")
    page.get_by_label("Email", exact=True).fill("zakupki@romashka.ru")
    choose_courier_with_window(page)
    page.get_by_role("button", name="Оплата").click()
    page.wait_for_url("**/checkout/payment/")
    page.get_by_label("Счёт для юрлиц").check()
    page.get_by_role("button", name="Подтвердить заказ").click()
    page.wait_for_url(re.compile(r"/orders/\d{4}-\d{6}/$"))
    order = Order.objects.get()

    [email] = [m for m in mail.outbox if m.subject == f"Заказ {order.number} оформлен"]
    link = re.search(r"http://\S+/orders/\S+/", email.body).group(0)
    path = re.sub(r"^http://[^/]+", "", link)
    assert path == f"/orders/{order.number}/{order.secret}/"

    fresh = chromium.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 390, "height": 844})
    try:
        tab = fresh.new_page()
        assert tab.goto(f"/orders/{order.number}/").status == 404
        tab.goto(path)
        tab.wait_for_url(f"**/orders/{order.number}/")
        assert f"Заказ {order.number}" in tab.get_by_role("heading", level=1).inner_text()
        href = tab.get_by_test_id("order-documents").get_by_role("link", name=re.compile("^Счёт")).get_attribute("href")
        response = tab.request.get(href)
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
        assert order.number in text
        assert "7707083893" in text
        tab.screenshot(path="/tmp/shop-screenshots/guest-link-order-phone.png", full_page=True)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        fresh.close()

    stranger = chromium.new_context(base_url=live_server.url, locale="ru-RU")
    try:
        tab = stranger.new_page()
        assert tab.goto(f"/orders/{order.number}/").status == 404
        assert tab.goto(f"/orders/{order.number}/{'x' * 22}/").status == 404
        assert tab.request.get(href).status == 404
    finally:
        stranger.close()
