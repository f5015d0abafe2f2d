"""Every kind of notice renders its words with the order's or the request's link, by SMS, Telegram and email."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from lists.models import StockSubscription
from lists.services import stock_arrived_send
from notices.models import Channel, Event, Notice, NoticeSettings
from notices.services import notice_text
from notices.tests.telegram_fakes import CHAT_ID, SEND, message_sent
from orders.notices import SUBJECTS, order_notice_send
from orders.tests.factories import cart_of, place
from service.models import InstallationStatus, RepairStatus, WarrantyStatus
from service.notices import service_notice_send, visits_tomorrow
from service.tasks import service_visit_reminders_task
from service.tests.factories import InstallationRequestFactory, RepairRequestFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("event", Event.values)
def test_every_event_has_a_one_line_template_with_the_link(event):
    context = {
        "number": "2026-000123",
        "total": "12\u00a0990\u00a0₽",
        "amount": "990\u00a0₽",
        "url": "https://shop.example.ru/x/",
        "when": "9 декабря в 10:00",
        "visit": "выезд техника",
        "status": "в ремонте",
        "product": 'Камера "Dome" 4 Мп',
        "name": "Ирина",
        "phone": "+79161234567",
        "delivery": "Курьер",
        "what": "заявка на ремонт",
    }

    text = notice_text(event=event, context=context)

    assert text.endswith("https://shop.example.ru/x/")
    assert "\n" not in text and "{" not in text and "&quot;" not in text
    assert len(text) <= 200


@pytest.fixture
def guest_order(moscow_delivery, stocked_product):
    return place(
        cart_of((stocked_product("5099.50", quantity=3), 1)), moscow_delivery["point"], email="", phone="+79161234567"
    )


@pytest.mark.parametrize("kind", sorted(SUBJECTS))
def test_every_order_notice_by_sms_names_the_order_and_its_secret_link(
    kind, guest_order, clock, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert order_notice_send(order_id=guest_order.pk, kind=kind, amount="990.00") == 1

    [sms] = sms_outbox
    assert sms["text"].startswith("Охрана Плюс: ")
    assert guest_order.number in sms["text"]
    assert sms["text"].endswith(f"https://shop.example.ru/orders/{guest_order.number}/{guest_order.secret}/")
    notice = Notice.objects.get()
    assert (notice.event, notice.channel, notice.target) == (f"order_{kind}", Channel.SMS, guest_order)


def test_a_refund_by_telegram_names_the_amount(
    telegram, moscow_delivery, stocked_product, clock, django_capture_on_commit_callbacks
):
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent())
    user = UserFactory()
    NoticeSettings.objects.create(user=user, orders=Channel.TELEGRAM, telegram_chat_id=CHAT_ID)
    order = place(cart_of((stocked_product("5000.00", quantity=3), 1), user=user), moscow_delivery["point"], user=user)

    with django_capture_on_commit_callbacks(execute=True):
        order_notice_send(order_id=order.pk, kind="refunded", amount=str(Decimal("1500.00")))

    [(request, _)] = telegram.log
    assert json.loads(request.data)["text"] == (
        f"Охрана Плюс: по заказу {order.number} возвращено 1\u00a0500\u00a0₽. "
        f"https://shop.example.ru/orders/{order.number}/"
    )


def test_two_refunds_of_the_same_sum_are_told_twice_and_a_retried_one_once(
    telegram, moscow_delivery, stocked_product, clock, django_capture_on_commit_callbacks
):
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent())
    user = UserFactory()
    NoticeSettings.objects.create(user=user, orders=Channel.TELEGRAM, telegram_chat_id=CHAT_ID)
    order = place(cart_of((stocked_product("5000.00", quantity=3), 2), user=user), moscow_delivery["point"], user=user)

    with django_capture_on_commit_callbacks(execute=True):
        for refund in ("refund-1", "refund-2", "refund-1"):
            order_notice_send(order_id=order.pk, kind="refunded", amount="5000.00", event_id=refund)

    assert len(telegram.log) == 2
    assert Notice.objects.filter(event="order_refunded").count() == 2


@pytest.fixture
def by_sms():
    """A customer who chose SMS for service visits."""
    user = UserFactory(phone="+79160000001")
    NoticeSettings.objects.create(user=user, service=Channel.SMS)
    return user


def visit(moscow_service, user, **kwargs):
    return RepairRequestFactory(user=user, slot=moscow_service["visit_slot"], **kwargs)


MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def when(request) -> str:
    local = timezone.localtime(request.slot.starts_at)
    return f"{local.day} {MONTHS[local.month - 1]} в {local:%H:%M}"


@pytest.mark.parametrize(
    ("kind", "status", "words"),
    [
        ("confirmed", RepairStatus.CONFIRMED, "заявка {number} подтверждена, {when}."),
        ("reminder", RepairStatus.CONFIRMED, "напоминаем, завтра {when} — выезд техника по заявке {number}."),
        ("departed", RepairStatus.CONFIRMED, "мастер выехал к вам по заявке {number}."),
        ("status", RepairStatus.AWAITING_APPROVAL, "стоимость по заявке {number} ждёт вашего согласования."),
        ("status", RepairStatus.READY, "работы по заявке {number} выполнены, акт — на странице заявки."),
        ("status", RepairStatus.IN_REPAIR, "заявка {number} — в ремонте."),
    ],
)
def test_every_service_notice_by_sms_names_the_request_and_its_link(
    kind, status, words, moscow_service, by_sms, clock, sms_outbox, django_capture_on_commit_callbacks
):
    clock.set(12, 0)
    request = visit(moscow_service, by_sms, status=status)

    with django_capture_on_commit_callbacks(execute=True):
        assert service_notice_send(number=request.number, kind=kind) == 1

    [sms] = sms_outbox
    expected = words.format(number=request.number, when=when(request))
    assert sms["phone"] == "+79161234567"  # the request's contact phone
    assert sms["text"] == f"Охрана Плюс: {expected} https://shop.example.ru/service/requests/{request.number}/"


def test_the_installation_handed_over_is_work_done(
    moscow_service, clock, mailoutbox, django_capture_on_commit_callbacks
):
    request = InstallationRequestFactory(status=InstallationStatus.HANDED_OVER, slot=moscow_service["install_slot"])

    with django_capture_on_commit_callbacks(execute=True):
        service_notice_send(number=request.number, kind="status")

    notice = Notice.objects.get()
    assert (notice.event, notice.channel) == (Event.SERVICE_DONE, Channel.EMAIL)
    assert mailoutbox[0].subject == f"Заявка {request.number}: Система передана клиенту"


def test_the_reminder_goes_in_the_quiet_hours_and_once(
    moscow_service, by_sms, clock, sms_outbox, django_capture_on_commit_callbacks
):
    request = visit(moscow_service, by_sms, status=RepairStatus.CONFIRMED)
    clock.now = timezone.localtime(request.slot.starts_at).replace(hour=23, minute=0) - datetime.timedelta(days=1)

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            service_visit_reminders_task.apply()

    assert visits_tomorrow() == [request.number]
    assert len(sms_outbox) == 1
    assert "напоминаем, завтра" in sms_outbox[0]["text"]


def test_the_reminder_by_email_has_its_own_letter(
    moscow_service, clock, mailoutbox, django_capture_on_commit_callbacks
):
    request = visit(moscow_service, UserFactory(), status=RepairStatus.CONFIRMED)

    with django_capture_on_commit_callbacks(execute=True):
        service_notice_send(number=request.number, kind="reminder")

    [letter] = mailoutbox
    assert letter.subject == f"Заявка {request.number}: завтра визит"
    assert "выезд техника" in letter.body
    assert f"https://shop.example.ru/service/requests/{request.number}/" in letter.body


def test_a_cancelled_visit_is_not_reminded(moscow_service, by_sms, clock):
    visit(moscow_service, by_sms, status=RepairStatus.CANCELLED)

    assert visits_tomorrow() == []


def test_back_in_stock_goes_by_telegram_to_an_account_that_chose_it(
    telegram, clock, mailoutbox, django_capture_on_commit_callbacks
):
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent())
    user = UserFactory()
    NoticeSettings.objects.create(user=user, orders=Channel.TELEGRAM, telegram_chat_id=CHAT_ID)
    product = ProductFactory(name="Камера Dome 4 Мп")
    subscription = StockSubscription.objects.create(
        product=product, email=user.email, user=user, notified_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert stock_arrived_send(subscription_id=subscription.pk) == 1
        assert stock_arrived_send(subscription_id=subscription.pk) == 1

    [(request, _)] = telegram.log
    assert json.loads(request.data)["text"] == (
        f"Охрана Плюс: «Камера Dome 4 Мп» снова в наличии. https://shop.example.ru{product.get_absolute_url()}"
    )
    assert mailoutbox == []


def test_a_warranty_repair_done_promises_no_act(
    moscow_service, by_sms, clock, sms_outbox, django_capture_on_commit_callbacks
):
    request = visit(moscow_service, by_sms, status=RepairStatus.READY, warranty=WarrantyStatus.WARRANTY)

    with django_capture_on_commit_callbacks(execute=True):
        service_notice_send(number=request.number, kind="status")

    assert sms_outbox[0]["text"] == (
        f"Охрана Плюс: работы по заявке {request.number} выполнены. "
        f"https://shop.example.ru/service/requests/{request.number}/"
    )
