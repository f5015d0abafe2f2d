"""Staff read every notice on the order and the request, and tell a customer that the technician is on the way."""

import json

import pytest

from accounts.tests.factories import UserFactory
from notices.models import Channel, Event, Notice, NoticeSettings, NoticeStatus
from notices.tests.telegram_fakes import SEND, STAFF_CHAT_ID, message_sent
from orders.tests.factories import cart_of, place
from service.models import RepairStatus
from service.notices import service_notice_send
from service.tests.factories import RepairRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_order_page_in_the_admin_shows_its_notices_read_only(
    staff_client, moscow_delivery, stocked_product, clock, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(
            cart_of((stocked_product("1000.00", quantity=3), 1)),
            moscow_delivery["point"],
            email="",
            phone="+79161234567",
        )

    html = staff_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()

    assert "Уведомления покупателю" in html
    assert "Заказ оформлен" in html and "+79161234567" in html and "Отправлено" in html
    assert 'name="notices-0-status"' not in html  # nothing to edit


def test_the_technician_departed_action_tells_the_customer_once(
    staff_client, moscow_service, clock, sms_outbox, django_capture_on_commit_callbacks
):
    user = UserFactory(phone="+79160000001")
    NoticeSettings.objects.create(user=user, service=Channel.SMS)
    request = RepairRequestFactory(user=user, status=RepairStatus.CONFIRMED, slot=moscow_service["visit_slot"])
    action = {"action": "technician_departed", "_selected_action": [request.pk]}

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post("/admin/service/repairrequest/", action)
        assert response.status_code == 302

    assert [sms["text"] for sms in sms_outbox] == [
        f"Охрана Плюс: мастер выехал к вам по заявке {request.number}. "
        f"https://shop.example.ru/service/requests/{request.number}/"
    ]
    html = staff_client.get(f"/admin/service/repairrequest/{request.pk}/change/").content.decode()
    assert "Мастер выехал" in html


def test_staff_chat_gets_every_new_service_request(
    telegram, settings, moscow_service, clock, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TELEGRAM_STAFF_CHAT_ID = STAFF_CHAT_ID
    telegram.expect_request(SEND, method="POST").respond_with_json(message_sent(chat_id=STAFF_CHAT_ID))
    request = RepairRequestFactory(status=RepairStatus.CONFIRMED, slot=moscow_service["visit_slot"])

    with django_capture_on_commit_callbacks(execute=True):
        service_notice_send(number=request.number, kind="confirmed")
        service_notice_send(number=request.number, kind="confirmed")

    [(call, _)] = telegram.log
    text = json.loads(call.data)["text"]
    assert text.startswith(f"Новая заявка {request.number}: заявка на ремонт, ")
    assert "Ирина, +79161234567" in text
    assert text.endswith(f"https://shop.example.ru/admin/service/repairrequest/{request.pk}/change/")
    staff = Notice.objects.get(event=Event.STAFF_SERVICE)
    assert (staff.recipient, staff.status) == (STAFF_CHAT_ID, NoticeStatus.SENT)
    assert len(mailoutbox) == 1  # the customer's letter


def test_the_notices_list_and_a_notice_open_in_the_admin(staff_client, moscow_delivery, stocked_product, clock):
    order = place(cart_of((stocked_product("1000.00", quantity=3), 1)), moscow_delivery["point"])
    notice = Notice.objects.create(
        key=f"order:{order.pk}:paid", event=Event.ORDER_PAID, channel=Channel.EMAIL, recipient="a@example.ru", text="x"
    )

    assert staff_client.get("/admin/notices/notice/").status_code == 200
    page = staff_client.get(f"/admin/notices/notice/{notice.pk}/change/")
    assert page.status_code == 200
    assert "a@example.ru" in page.content.decode()
    assert staff_client.get("/admin/notices/noticesettings/").status_code == 200
