"""The shop's emails about an order: every kind renders with absolute links, money as «12 990 ₽», the shop's name."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from orders.notices import SUBJECTS, greeting_name, order_email_send
from orders.tests.factories import cart_of, place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SHOP_DOMAIN = "shop.example.ru"
    settings.SHOP_URL_SCHEME = "https"


@pytest.fixture
def order(moscow_delivery, stocked_product):
    return place(cart_of((stocked_product("12990.00", quantity=3), 1)), moscow_delivery["point"])


@pytest.mark.parametrize("kind", sorted(SUBJECTS))
def test_every_order_email_has_absolute_links_formatted_money_and_the_shop(order, kind):
    sent = order_email_send(order_id=order.pk, kind=kind, amount="12990.00")

    assert sent == 1
    [message] = mail.outbox
    assert message.subject == SUBJECTS[kind].format(number=order.number)
    assert message.to == ["irina@example.ru"]
    html = message.alternatives[0][0]
    for body in (message.body, html):
        links = re.findall(r"https?://[^\s\"<]+|href=\"([^\"]+)\"", body)
        assert links
        assert all(link.startswith("https://shop.example.ru/") for link in re.findall(r"https?://[^\s\"<]+", body))
        assert all(href.startswith("https://shop.example.ru/") for href in re.findall(r'href="([^"]+)"', body))
        assert "12\xa0990\xa0₽" in body
        assert "12990.00" not in body
        assert "Охрана Плюс" in body
        assert "Ирина Петровна" in body
    assert f"https://shop.example.ru/orders/{order.number}/{order.secret}/" in message.body


def test_an_accounts_order_links_to_its_page_without_a_secret(moscow_delivery, stocked_product):
    user = UserFactory()
    order = place(cart_of((stocked_product("1000.00", quantity=3), 1), user=user), moscow_delivery["point"], user=user)

    order_email_send(order_id=order.pk, kind="paid")

    assert f"https://shop.example.ru/orders/{order.number}/\n" in mail.outbox[0].body
    assert order.secret not in mail.outbox[0].body


def test_an_order_without_email_sends_nothing(order):
    order.email = ""
    order.save(update_fields=["email"])

    assert order_email_send(order_id=order.pk, kind="placed") == 0
    assert mail.outbox == []


def test_placing_paying_handing_over_and_cancelling_send_their_emails(
    moscow_delivery, stocked_product, django_capture_on_commit_callbacks
):
    from orders.services import order_cancel, order_mark_paid, order_ship

    with django_capture_on_commit_callbacks(execute=True):
        order = place(cart_of((stocked_product("1000.00", quantity=3), 1)), moscow_delivery["point"])
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order_id=order.pk)
    with django_capture_on_commit_callbacks(execute=True):
        order_ship(order_id=order.pk)
    other = place(cart_of((stocked_product("1000.00", quantity=3), 1)), moscow_delivery["point"])
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=other.pk)

    assert [m.subject for m in mail.outbox] == [
        f"Заказ {order.number} оформлен",
        f"Заказ {order.number} оплачен",
        f"Заказ {order.number} ждёт вас",
        f"Заказ {other.number} отменён",
    ]


@pytest.mark.parametrize(
    ("full_name", "greeting"),
    [("Иванова Ирина Петровна", "Ирина Петровна"), ("Ирина", "Ирина"), ("  Пётр Иванов ", "Пётр Иванов")],
)
def test_greeting_name(full_name, greeting):
    assert greeting_name(full_name) == greeting


def test_the_refund_email_names_the_amount(order):
    order_email_send(order_id=order.pk, kind="refunded", amount=str(Decimal("5099.50")))

    assert "5\xa0099,50\xa0₽" in mail.outbox[0].body
