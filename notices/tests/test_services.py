"""Choosing the channel, sending once, the quiet hours, the fallback to SMS, the staff chat and erasure."""

import datetime
import json

import pytest

from accounts.models import SmsMessage
from accounts.services import account_delete
from accounts.tests.factories import UserFactory
from accounts.tests.smsru_fakes import sent
from notices.models import Channel, Notice, NoticeSettings, NoticeStatus, TelegramLinkToken
from notices.services import (
    Message,
    Recipient,
    notice_channel,
    notice_deliver,
    notice_send,
    quiet_until,
    telegram_link_start,
)
from notices.tasks import notices_sweep_task
from notices.tests.conftest import MOSCOW
from notices.tests.telegram_fakes import CHAT_ID, SEND, STAFF_CHAT_ID, blocked, message_sent
from orders.notices import order_notice_send
from orders.tests.factories import cart_of, place

pytestmark = pytest.mark.django_db


def linked(user, *, orders=Channel.TELEGRAM, service=Channel.TELEGRAM) -> NoticeSettings:
    return NoticeSettings.objects.create(user=user, orders=orders, service=service, telegram_chat_id=CHAT_ID)


def sent_texts(server) -> list[dict]:
    return [json.loads(request.data) for request, _ in server.log if request.path == SEND]


@pytest.fixture
def order_of(moscow_delivery, stocked_product):
    def make(user=None, **kwargs):
        cart = cart_of((stocked_product("12990.00", quantity=3), 1), user=user)
        return place(cart, moscow_delivery["point"], user=user, phone="+79161234567", **kwargs)

    return make


@pytest.mark.parametrize(
    ("at", "until"),
    [
        ((8, 12, 0), None),
        ((8, 9, 0), None),
        ((8, 21, 59), None),
        ((8, 22, 0), (9, 9, 0)),
        ((8, 23, 30), (9, 9, 0)),
        ((9, 0, 10), (9, 9, 0)),
        ((9, 8, 59), (9, 9, 0)),
    ],
)
def test_quiet_hours_last_from_22_to_9_moscow_time(at, until):
    day, hour, minute = at
    moment = datetime.datetime(2026, 12, day, hour, minute, tzinfo=MOSCOW).astimezone(datetime.UTC)

    expected = datetime.datetime(2026, 12, until[0], until[1], until[2], tzinfo=MOSCOW) if until else None
    assert quiet_until(moment) == expected


@pytest.mark.parametrize(
    ("chosen", "linked_chat", "email", "phone", "expected"),
    [
        (None, None, "a@example.ru", "+79161234567", (Channel.EMAIL, "a@example.ru")),
        (None, None, "", "+79161234567", (Channel.SMS, "+79161234567")),
        (Channel.SMS, None, "a@example.ru", "+79161234567", (Channel.SMS, "+79161234567")),
        (Channel.SMS, None, "a@example.ru", "", (Channel.EMAIL, "a@example.ru")),
        (Channel.TELEGRAM, CHAT_ID, "a@example.ru", "", (Channel.TELEGRAM, str(CHAT_ID))),
        (Channel.TELEGRAM, None, "a@example.ru", "", (Channel.EMAIL, "a@example.ru")),
        (None, None, "deleted-1@deleted.invalid", "", ("", "")),
    ],
)
def test_the_channel_is_the_customers_choice_where_it_can_be_served(
    settings, chosen, linked_chat, email, phone, expected
):
    settings.TELEGRAM_BOT_TOKEN = "123:token"
    prefs = NoticeSettings(orders=chosen, telegram_chat_id=linked_chat) if chosen else None

    assert notice_channel(kind="orders", recipient=Recipient(email=email, phone=phone), prefs=prefs) == expected


def test_telegram_is_not_used_without_a_bot_token(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    prefs = NoticeSettings(orders=Channel.TELEGRAM, telegram_chat_id=CHAT_ID)

    channel = notice_channel(kind="orders", recipient=Recipient(email="a@example.ru"), prefs=prefs)

    assert channel == (Channel.EMAIL, "a@example.ru")


def test_an_order_of_a_linked_account_goes_to_telegram_with_its_link(
    telegram, order_of, clock, mailoutbox, django_capture_on_commit_callbacks
):
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent())
    user = UserFactory()
    linked(user)

    with django_capture_on_commit_callbacks(execute=True):
        order = order_of(user=user)

    [payload] = sent_texts(telegram)
    assert payload["chat_id"] == str(CHAT_ID)
    assert payload["text"] == (
        f"Охрана Плюс: заказ {order.number} оформлен, к оплате 13\u00a0189\u00a0₽. "
        f"https://shop.example.ru/orders/{order.number}/"
    )
    assert mailoutbox == []
    notice = Notice.objects.get(key=f"order:{order.pk}:placed")
    assert (notice.channel, notice.status, notice.provider_id, notice.target) == (
        Channel.TELEGRAM,
        NoticeStatus.SENT,
        "42",
        order,
    )


def test_a_retried_task_sends_nothing_twice(telegram, order_of, clock, django_capture_on_commit_callbacks):
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent())
    user = UserFactory()
    linked(user)
    order = order_of(user=user)

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            order_notice_send(order_id=order.pk, kind="paid")

    assert len(sent_texts(telegram)) == 1
    assert Notice.objects.filter(key=f"order:{order.pk}:paid").count() == 1


def test_a_retried_task_sends_nothing_even_after_the_customer_changed_channel(
    telegram, order_of, clock, sms_outbox, django_capture_on_commit_callbacks
):
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent())
    user = UserFactory()
    prefs = linked(user)
    order = order_of(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="paid")
    prefs.orders = Channel.SMS
    prefs.save()

    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="paid")

    assert len(sent_texts(telegram)) == 1
    assert sms_outbox == []
    assert Notice.objects.filter(key=f"order:{order.pk}:paid").count() == 1


def test_two_deliveries_of_one_notice_send_it_once(telegram, clock):
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent())
    user = UserFactory()
    linked(user)
    notice = notice_send(
        key="test:1", event="order_paid", kind="orders", recipient=Recipient(user_id=user.pk), message=Message("Текст")
    )

    first, second = notice_deliver(notice_id=notice.pk), notice_deliver(notice_id=notice.pk)

    assert (first.status, second.status, second.attempts) == (NoticeStatus.SENT, NoticeStatus.SENT, 1)
    assert len(sent_texts(telegram)) == 1


def test_telegram_waits_out_the_quiet_hours_until_9_moscow_time(
    telegram, order_of, clock, django_capture_on_commit_callbacks
):
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent())
    user = UserFactory()
    linked(user)
    order = order_of(user=user)
    clock.set(23, 30)

    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="shipped")

    notice = Notice.objects.get(key=f"order:{order.pk}:shipped")
    assert notice.status == NoticeStatus.QUEUED
    assert notice.not_before == datetime.datetime(2026, 12, 9, 9, 0, tzinfo=MOSCOW)
    assert sent_texts(telegram) == []

    clock.set(8, 59, day=9)
    assert notices_sweep_task.apply().get() == 0
    clock.set(9, 0, day=9)
    assert notices_sweep_task.apply().get() == 1

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert len(sent_texts(telegram)) == 1


def test_sms_waits_out_the_quiet_hours_too(order_of, clock, sms_outbox, django_capture_on_commit_callbacks):
    order = order_of(email="")
    clock.set(6, 15)

    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="paid")

    assert sms_outbox == []
    assert Notice.objects.get().not_before == datetime.datetime(2026, 12, 8, 9, 0, tzinfo=MOSCOW)


def test_email_is_not_held_by_the_quiet_hours(order_of, clock, mailoutbox, django_capture_on_commit_callbacks):
    order = order_of()
    clock.set(23, 30)

    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="paid")

    assert [message.subject for message in mailoutbox] == [f"Заказ {order.number} оплачен"]


def test_a_blocked_bot_falls_back_to_sms_and_unbinds_the_chat(
    telegram, smsru, order_of, clock, django_capture_on_commit_callbacks
):
    telegram.expect_request(SEND, method="POST").respond_with_json(blocked(), status=403)
    smsru.expect_request("/sms/send", method="POST").respond_with_json(sent())
    user = UserFactory()
    linked(user)
    order = order_of(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="paid")

    by_channel = {n.channel: n for n in Notice.objects.filter(key=f"order:{order.pk}:paid")}
    assert by_channel[Channel.TELEGRAM].status == NoticeStatus.FAILED
    assert by_channel[Channel.TELEGRAM].error == "Telegram 403: Forbidden: bot was blocked by the user"
    assert by_channel[Channel.SMS].status == NoticeStatus.SENT
    sms = [request for request, _ in smsru.log if request.path == "/sms/send"]
    assert [request.form["msg"] for request in sms] == [
        f"Охрана Плюс: заказ {order.number} оплачен. https://shop.example.ru/orders/{order.number}/"
    ]
    assert by_channel[Channel.SMS].sms == SmsMessage.objects.get()
    assert NoticeSettings.objects.get(user=user).telegram_chat_id is None


def test_a_blocked_bot_falls_back_to_email_where_there_is_no_phone(
    telegram, moscow_delivery, stocked_product, clock, mailoutbox, django_capture_on_commit_callbacks
):
    telegram.expect_request(SEND, method="POST").respond_with_json(blocked(), status=403)
    user = UserFactory()
    linked(user)
    order = place(cart_of((stocked_product("1000.00", quantity=3), 1), user=user), moscow_delivery["point"], user=user)
    order.phone = ""
    order.save(update_fields=["phone"])

    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="paid")

    [letter] = mailoutbox
    assert (letter.subject, letter.to) == (f"Заказ {order.number} оплачен", [order.email])
    assert f"https://shop.example.ru/orders/{order.number}/" in letter.body
    assert letter.alternatives
    email = Notice.objects.get(channel=Channel.EMAIL)
    assert (email.key, email.status) == (f"order:{order.pk}:paid", NoticeStatus.SENT)


def test_an_unreachable_telegram_falls_back_to_sms(
    settings, order_of, clock, sms_outbox, django_capture_on_commit_callbacks
):
    settings.TELEGRAM_BOT_TOKEN = "123:token"
    settings.TELEGRAM_API_URL = "http://127.0.0.1:9"  # the discard port: nothing listens
    settings.TELEGRAM_TIMEOUT = 1
    user = UserFactory()
    linked(user)
    order = order_of(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="paid")

    notice = Notice.objects.get(channel=Channel.TELEGRAM)
    assert (notice.status, notice.error) == (NoticeStatus.FAILED, "Telegram unreachable")
    assert [m["phone"] for m in sms_outbox] == ["+79161234567"]
    # The chat may come back: only a refusal by Telegram unbinds it.
    assert NoticeSettings.objects.get(user=user).telegram_chat_id == CHAT_ID


def test_staff_chat_gets_every_new_order(
    telegram, settings, order_of, clock, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TELEGRAM_STAFF_CHAT_ID = STAFF_CHAT_ID
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent(chat_id=STAFF_CHAT_ID))
    clock.set(3, 0)

    with django_capture_on_commit_callbacks(execute=True):
        order = order_of()

    [payload] = sent_texts(telegram)
    assert payload["chat_id"] == STAFF_CHAT_ID
    assert payload["text"].startswith(f"Новый заказ {order.number} на 13\u00a0189\u00a0₽: ")
    assert payload["text"].endswith(f"https://shop.example.ru/admin/orders/order/{order.pk}/change/")
    assert len(mailoutbox) == 1  # the buyer's letter, as before


def test_no_staff_chat_no_staff_message(telegram, order_of, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_of()

    assert sent_texts(telegram) == []
    assert not Notice.objects.filter(channel=Channel.TELEGRAM).exists()


def test_deleting_the_account_drops_the_binding_and_the_words_of_its_notices(
    order_of, clock, sms_outbox, django_capture_on_commit_callbacks
):
    user = UserFactory(phone="+79161234567")
    NoticeSettings.objects.create(user=user, orders=Channel.SMS, telegram_chat_id=CHAT_ID)
    telegram_link_start(user=user)
    order = order_of(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="paid")
    assert Notice.objects.get().sms is not None

    account_delete(user=user)

    assert not NoticeSettings.objects.filter(user=user).exists()
    assert not TelegramLinkToken.objects.filter(user=user).exists()
    notice = Notice.objects.get()
    assert (notice.recipient, notice.text, notice.subject, notice.html, notice.sms) == ("", "", "", "", None)
    assert (notice.fallback_phone, notice.fallback_email, notice.fallback_text) == ("", "", "")
    assert not SmsMessage.objects.exists()


def test_the_sweep_sends_a_notice_an_outage_left_queued(clock, mailoutbox):
    notice = Notice.objects.create(
        key="order:1:paid",
        event="order_paid",
        channel=Channel.EMAIL,
        recipient="a@example.ru",
        subject="Тема",
        text="x",
    )

    clock.now += datetime.timedelta(minutes=5)
    assert notices_sweep_task.apply().get() == 0
    clock.now += datetime.timedelta(minutes=6)
    assert notices_sweep_task.apply().get() == 1

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert [message.subject for message in mailoutbox] == ["Тема"]
