"""An order placed with a phone and no email is told about by SMS, through the real gateway client."""

from decimal import Decimal

import pytest

from accounts.models import SmsMessage, SmsStatus
from accounts.sms import LocmemSmsBackend
from accounts.tests.smsru_fakes import sent
from orders.models import PaymentMethod
from orders.notices import SUBJECTS, order_notice_send
from orders.tests.factories import cart_of, place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SHOP_DOMAIN = "shop.example.ru"
    settings.SHOP_URL_SCHEME = "https"


def place_by_phone(cart, delivery):
    """A guest's order with a phone and no email, collected and paid at the store."""
    return place(
        cart,
        delivery["store"],
        email="",
        phone="+79161234567",
        method=PaymentMethod.ON_RECEIPT,
        delivery="pickup",
        pickup_point=str(delivery["store"].pk),
    )


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    return LocmemSmsBackend.outbox


def test_an_order_without_email_is_announced_by_sms_through_the_gateway(
    smsru, moscow_delivery, stocked_product, mailoutbox, django_capture_on_commit_callbacks
):
    smsru.expect_oneshot_request("/sms/send", method="POST").respond_with_json(sent())
    cart = cart_of((stocked_product("12990.00", quantity=3), 1))

    with django_capture_on_commit_callbacks(execute=True):
        order = place_by_phone(cart, moscow_delivery)

    # The fake server is shared: a payment call that an earlier test left in flight may land here too.
    [(request, _)] = [entry for entry in smsru.log if entry[0].path == "/sms/send"]
    text = request.form["msg"]
    assert request.form["to"] == "79161234567"
    assert text.startswith(
        f"Охрана Плюс: заказ {order.number} оформлен, к оплате 12\u00a0990\u00a0₽. https://shop.example.ru/"
    )
    assert order.secret in text
    assert mailoutbox == []
    message = SmsMessage.objects.get()
    assert (message.text, message.status) == (text, SmsStatus.SENT)


def test_an_order_with_email_is_mailed_and_not_texted(
    moscow_delivery, stocked_product, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    cart = cart_of((stocked_product("12990.00", quantity=3), 1))

    with django_capture_on_commit_callbacks(execute=True):
        place(cart, moscow_delivery["point"], phone="+79161234567")

    assert len(mailoutbox) == 1
    assert sms_outbox == []


@pytest.mark.parametrize("kind", sorted(SUBJECTS))
def test_every_notice_has_its_text_with_money_and_the_link(
    kind, moscow_delivery, stocked_product, sms_outbox, django_capture_on_commit_callbacks
):
    order = place_by_phone(cart_of((stocked_product("5099.50", quantity=3), 1)), moscow_delivery)

    with django_capture_on_commit_callbacks(execute=True):
        assert order_notice_send(order_id=order.pk, kind=kind, amount=str(Decimal("5099.50"))) == 1

    text = sms_outbox[-1]["text"]
    assert order.number in text
    assert "https://shop.example.ru/orders/" in text
    if kind in ("placed", "refunded"):
        assert "5\u00a0099,50\u00a0₽" in text
