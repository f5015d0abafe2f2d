"""SMS.ru against a local fake of its API (pytest-httpserver): never the real network."""

import json
import logging
import re
import time

import pytest
from werkzeug import Response

from accounts.models import SmsMessage, SmsStatus
from accounts.sms import SmsError, mask_codes, send_sms
from accounts.sms_gateways.smsru import SmsRuBackend
from accounts.tasks import SMS_RETRY_DELAYS, sms_check_statuses_task
from accounts.tests.factories import PhoneUserFactory, UserFactory
from accounts.tests.smsru_fakes import SMS_ID, TO, refused, sent, status_of

pytestmark = pytest.mark.django_db

PHONE = "+79161234567"
CODE = re.compile(r"Код подтверждения Охрана Плюс: ([A-Z0-9-]+)\.")


@pytest.fixture
def worker(monkeypatch):
    """Run tasks in-process as a worker would: a retry runs again (at once), a failure stays in the task."""
    from shop.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def recorded(server) -> list[dict]:
    return [dict(request.form) for request, _ in server.log]


def request_login_code(client, capture, phone: str = PHONE):
    with capture(execute=True):
        return client.post("/accounts/login/code/", {"phone": phone})


def test_a_login_code_reaches_the_gateway_and_the_log_keeps_it_masked(
    client, smsru, django_capture_on_commit_callbacks
):
    user = PhoneUserFactory(phone=PHONE)
    smsru.expect_oneshot_request("/sms/send", method="POST").respond_with_json(sent())

    response = request_login_code(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    (form,) = recorded(smsru)
    assert (form["api_id"], form["to"], form["json"]) == ("0A1B2C3D-TEST", TO, "1")
    code = CODE.search(form["msg"]).group(1)
    message = SmsMessage.objects.get()
    assert (message.phone, message.status, message.provider_id, message.attempts) == (PHONE, "sent", SMS_ID, 1)
    assert code not in message.text
    assert message.text == f"Код подтверждения Охрана Плюс: {'•' * len(code)}. Никому его не сообщайте."
    client.post("/accounts/login/code/confirm/", {"code": code})
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_order_notice_is_sent_as_written(smsru, django_capture_on_commit_callbacks):
    smsru.expect_oneshot_request("/sms/send", method="POST").respond_with_json(sent())
    text = "Заказ 2026-000123 оплачен. Охрана Плюс"

    with django_capture_on_commit_callbacks(execute=True):
        send_sms(phone=PHONE, text=text)

    assert recorded(smsru)[0]["msg"] == text
    message = SmsMessage.objects.get()
    assert (message.text, message.status, message.provider_id) == (text, SmsStatus.SENT, SMS_ID)


def test_a_gateway_error_is_logged_and_retried_until_the_code_gets_through(
    client, smsru, worker, caplog, django_capture_on_commit_callbacks
):
    PhoneUserFactory(phone=PHONE)
    smsru.expect_ordered_request("/sms/send", method="POST").respond_with_response(Response("busy", status=503))
    smsru.expect_ordered_request("/sms/send", method="POST").respond_with_json(
        {"status": "ERROR", "status_code": 500, "status_text": "Ошибка на сервере. Повторите запрос."}
    )
    smsru.expect_ordered_request("/sms/send", method="POST").respond_with_json(sent())

    with caplog.at_level(logging.WARNING, logger="accounts.sms"):
        response = request_login_code(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    forms = recorded(smsru)
    assert len(forms) == 3
    assert forms[0]["msg"] == forms[2]["msg"]
    message = SmsMessage.objects.get()
    assert (message.status, message.attempts, message.provider_id) == (SmsStatus.SENT, 3, SMS_ID)
    assert message.error == "SMS.ru refused: 500 Ошибка на сервере. Повторите запрос."
    warnings = [r.getMessage() for r in caplog.records if r.name == "accounts.sms"]
    assert len(warnings) == 2
    assert "SMS.ru answered HTTP 503" in warnings[0]


def test_a_gateway_that_stays_down_fails_the_message_and_never_the_page(
    client, smsru, worker, django_capture_on_commit_callbacks
):
    PhoneUserFactory(phone=PHONE)
    smsru.expect_request("/sms/send", method="POST").respond_with_response(Response("down", status=502))

    response = request_login_code(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/confirm/"
    assert len(smsru.log) == 1 + len(SMS_RETRY_DELAYS)
    message = SmsMessage.objects.get()
    assert (message.status, message.attempts) == (SmsStatus.FAILED, 1 + len(SMS_RETRY_DELAYS))
    assert message.error == "SMS.ru answered HTTP 502"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (refused(207, "На этот номер нельзя отправлять сообщения"), "207 На этот номер нельзя отправлять сообщения"),
        ({"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"}, "200 Неправильный api_id"),
    ],
)
def test_a_refusal_for_good_is_not_retried(smsru, django_capture_on_commit_callbacks, answer, error):
    smsru.expect_request("/sms/send", method="POST").respond_with_json(answer)

    with django_capture_on_commit_callbacks(execute=True):
        send_sms(phone=PHONE, text="Заказ 2026-000123 передан в доставку.")

    assert len(smsru.log) == 1
    message = SmsMessage.objects.get()
    assert (message.status, message.error) == (SmsStatus.FAILED, f"SMS.ru refused: {error}")


def test_a_silent_gateway_is_given_up_after_the_timeout_and_never_asked_twice(
    settings, smsru, django_capture_on_commit_callbacks
):
    settings.SMS_TIMEOUT = 0.2

    def silent(request):
        time.sleep(1)
        return Response(json.dumps(sent()), content_type="application/json")

    smsru.expect_request("/sms/send", method="POST").respond_with_handler(silent)

    with pytest.raises(SmsError) as raised:
        SmsRuBackend().send(phone=PHONE, text="Заказ 2026-000123 оплачен.")
    assert raised.value.retryable is False

    with django_capture_on_commit_callbacks(execute=True):
        send_sms(phone=PHONE, text="Заказ 2026-000123 оплачен.")
    message = SmsMessage.objects.get()
    assert (message.status, message.attempts) == (SmsStatus.FAILED, 1)
    assert message.error.startswith("SMS.ru gave no answer")


def test_a_gateway_that_cannot_be_reached_is_retried(settings, smsru):
    smsru.stop()
    with pytest.raises(SmsError) as raised:
        SmsRuBackend().send(phone=PHONE, text="Заказ 2026-000123 оплачен.")
    smsru.start()
    assert raised.value.retryable is True
    assert str(raised.value).startswith("SMS.ru unreachable")


@pytest.mark.parametrize(
    ("code", "text", "status"),
    [
        (103, "Сообщение доставлено", SmsStatus.DELIVERED),
        (102, "Сообщение отправлено (в пути)", SmsStatus.SENT),
        (106, "Не может быть доставлено: сбой в телефоне", SmsStatus.UNDELIVERED),
    ],
)
def test_delivery_status_is_read_back(smsru, code, text, status):
    message = SmsMessage.objects.create(
        phone=PHONE,
        text="Заказ 2026-000123 оплачен.",
        backend="accounts.sms_gateways.smsru.SmsRuBackend",
        provider_id=SMS_ID,
        status=SmsStatus.SENT,
    )
    smsru.expect_oneshot_request("/sms/status", method="POST").respond_with_json(status_of(code, text))

    assert sms_check_statuses_task() == 1

    assert recorded(smsru)[0] == {"api_id": "0A1B2C3D-TEST", "sms_id": SMS_ID, "json": "1"}
    message.refresh_from_db()
    assert (message.status, message.provider_status) == (status, f"{code} {text}")
    assert message.status_checked_at is not None


def test_messages_of_backends_without_delivery_reports_are_not_read_back(smsru):
    SmsMessage.objects.create(
        phone=PHONE, text="Заказ оплачен.", backend="accounts.sms.LocmemSmsBackend", provider_id="x", status="sent"
    )
    assert sms_check_statuses_task() == 0
    assert smsru.log == []


@pytest.mark.parametrize(
    ("text", "secret", "masked"),
    [
        (
            "Код подтверждения Охрана Плюс: ABC-123. Никому его не сообщайте.",
            "",
            "Код подтверждения Охрана Плюс: •••••••. Никому его не сообщайте.",
        ),
        ("Ваш код для входа: 4817", "", "Ваш код для входа: ••••"),
        ("Вход: 4817", "4817", "Вход: ••••"),
        ("Заказ 2026-000123 оплачен.", "", "Заказ 2026-000123 оплачен."),
    ],
)
def test_codes_are_masked_in_the_log(text, secret, masked):
    assert mask_codes(text, secret) == masked


def test_staff_read_the_sms_log_and_cannot_change_it(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    message = SmsMessage.objects.create(phone=PHONE, text="Заказ оплачен.", backend="accounts.sms.ConsoleSmsBackend")

    assert client.get("/admin/accounts/smsmessage/").status_code == 200
    page = client.get(f"/admin/accounts/smsmessage/{message.pk}/change/")
    assert page.status_code == 200
    assert 'name="phone"' not in page.content.decode()
    assert client.get("/admin/accounts/smsmessage/add/").status_code == 403


def test_without_a_worker_a_failing_send_is_logged_and_the_page_still_answers(
    client, smsru, caplog, django_capture_on_commit_callbacks
):
    PhoneUserFactory(phone=PHONE)
    smsru.expect_request("/sms/send", method="POST").respond_with_response(Response("busy", status=503))

    with caplog.at_level(logging.WARNING, logger="accounts.sms"):
        response = request_login_code(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    message = SmsMessage.objects.get()
    assert (message.status, message.attempts, message.error) == (SmsStatus.QUEUED, 1, "SMS.ru answered HTTP 503")
    assert f"SMS {message.pk} not handed to Celery" in caplog.text
