"""After the sale in Chromium, by visible labels: a card payment cancelled and refunded; a received line returned,
accepted by staff in the admin and refunded."""

import re
from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from catalog.models import Stock, Warehouse
from catalog.selectors import stock_drift
from catalog.tests.factories import CategoryFactory, StockFactory
from core.models import Region
from demo.checkout import demo_checkout_seed
from demo.orders import demo_seller_ensure
from orders.models import Order, OrderStatus, ReturnStatus
from payments.models import RefundStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Zamok-Sinij-42"


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


def log_in(page, login: str, *, admin: bool = False) -> None:
    page.goto("/admin/" if admin else "/accounts/login/")
    page.get_by_label("Email" if admin else "Email или телефон").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def buy_with_card(page, camera) -> Order:
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
    page.get_by_role("button", name="Подтвердить заказ").click()
    page.wait_for_url(re.compile(r"/orders/\d{4}-\d{6}/$"))
    page.get_by_role("button", name="Оплатить").click()
    page.wait_for_url("**/payments/sandbox/**")
    page.get_by_label("Номер карты").fill("4111 1111 1111 1111")
    page.get_by_label("Срок действия").fill("12/30")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name=re.compile("^Оплатить")).click()
    order = Order.objects.get()
    page.wait_for_url(f"**/orders/{order.number}/")
    assert page.get_by_test_id("order-status").inner_text() == "Оплачен"
    return order


@pytest.mark.parametrize("width", [1366, 390])
def test_a_paid_order_cancelled_by_the_buyer_shows_its_refund_done(page, camera, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    order = buy_with_card(page, camera)
    assert Stock.objects.get(product=camera).reserved == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Отменить заказ").click()
    page.wait_for_url(f"**/orders/{order.number}/")

    assert page.get_by_test_id("order-status").inner_text() == "Отменён"
    assert page.get_by_test_id("refund").inner_text().startswith("Возврат 12\xa0990\xa0₽ — выполнен")
    screenshot(f"after-sale-cancel-refund-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert (Stock.objects.get(product=camera).quantity, Stock.objects.get(product=camera).reserved) == (5, 0)
    assert stock_drift() == []


def test_a_received_line_is_returned_by_the_buyer_and_accepted_by_staff_in_the_admin(chromium, live_server, camera):
    from delivery.models import PickupPoint
    from orders.services import order_complete, order_ship
    from orders.tests.factories import cart_of, place
    from payments.providers.sandbox import sandbox_callback
    from payments.services import payment_receive, payment_start

    buyer = UserFactory(email="ivan@example.ru", password=PASSWORD)
    UserFactory(email="staff@example.ru", password=PASSWORD, is_staff=True, is_superuser=True)
    store = PickupPoint.objects.filter(region__code="77", kind="store").first()
    order = place(cart_of((camera, 2), user=buyer), store, user=buyer, delivery="pickup")
    payment = payment_start(order=order, return_url="http://testserver/")
    body, headers = sandbox_callback(
        external_id=payment.external_id, status="waiting_for_capture", amount=payment.amount
    )
    payment_receive(provider_name="sandbox", body=body, headers=headers)
    order_ship(order_id=order.pk)
    order_complete(order_id=order.pk)

    buyer_tab = chromium.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 390, "height": 844})
    staff_tab = chromium.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1366, "height": 900})
    try:
        page = buyer_tab.new_page()
        log_in(page, "ivan@example.ru")
        page.goto(f"/orders/{order.number}/")
        page.get_by_role("link", name="Вернуть товар").click()
        page.wait_for_url(f"**/orders/{order.number}/return/")
        page.get_by_label(re.compile("IP-камера уличная 4 Мп")).fill("1")
        page.get_by_label("Причина возврата").fill("Не подошла к креплению")
        page.get_by_role("button", name="Вернуть товар").click()
        page.wait_for_url(f"**/orders/{order.number}/")
        assert "Заявка на возврат принята" in page.get_by_role("alert").first.inner_text()
        assert "ожидает приёмки" in page.get_by_test_id("return-request").inner_text()
        page.screenshot(path=str(_path("after-sale-return-requested-390")), full_page=True)

        admin = staff_tab.new_page()
        log_in(admin, "staff@example.ru", admin=True)
        admin.goto("/admin/orders/order/?attention=return_waiting")
        admin.get_by_role("link", name=order.number).click()
        admin.get_by_role("link", name=re.compile("^Принять возврат")).click()
        assert "Покупателю вернётся" in admin.content()
        admin.get_by_label("Товар принят на склад:").select_option(label="Склад Москва")
        admin.get_by_role("button", name="Принять возврат").click()
        admin.get_by_text("Возврат принят, деньги возвращаются").wait_for()
        admin.screenshot(path=str(_path("after-sale-return-accepted-admin")), full_page=True)

        page.reload()
        assert page.get_by_test_id("refund").inner_text().startswith("Возврат 12\xa0990\xa0₽ — выполнен")
        assert "принят" in page.get_by_test_id("return-request").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        buyer_tab.close()
        staff_tab.close()

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.returns.get().status == ReturnStatus.ACCEPTED
    assert order.refunds.get().status == RefundStatus.SUCCEEDED
    assert Stock.objects.get(product=camera).quantity == 4
    assert stock_drift() == []


def _path(name: str):
    from conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
