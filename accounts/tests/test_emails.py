"""Account emails come from the shop, in Russian, and name it."""

import re
import time

import pytest
from django.contrib.sites.models import Site
from django.core import mail

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


def _request_code(client, django_capture_on_commit_callbacks, email):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/code/", {"email": email})
    return CODE.search(mail.outbox[-1].body).group(1)


def test_the_site_is_named_for_the_shop():
    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("Охрана Плюс", "127.0.0.1:8000")


def test_login_code_email_is_the_shops_own(client, django_capture_on_commit_callbacks):
    UserFactory(email="ivanova@example.ru")
    _request_code(client, django_capture_on_commit_callbacks, "ivanova@example.ru")
    message = mail.outbox[-1]
    assert message.subject.startswith("[Охрана Плюс] Код для входа: ")
    assert message.from_email == "Охрана Плюс <noreply@ohrana-plus.ru>"
    assert "Ваш код для входа в магазин «Охрана Плюс»" in message.body
    assert "действует 15 минут" in message.body
    assert "example.com" not in message.body + message.subject


def test_password_reset_email_is_russian_with_the_shops_link(client, django_capture_on_commit_callbacks):
    UserFactory(email="ivanova@example.ru")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "ivanova@example.ru"})
    message = mail.outbox[-1]
    assert message.subject == "[Охрана Плюс] Восстановление пароля"
    assert "Чтобы задать новый пароль, откройте ссылку" in message.body
    assert "/accounts/password/reset/key/" in message.body
    assert "Hello" not in message.body


def test_a_used_login_code_does_not_work_again(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="ivanova@example.ru")
    first = _request_code(client, django_capture_on_commit_callbacks, "ivanova@example.ru")
    client.post("/accounts/login/code/confirm/", {"code": first})
    assert int(client.session["_auth_user_id"]) == user.pk
    client.post("/accounts/logout/")

    second = _request_code(client, django_capture_on_commit_callbacks, "ivanova@example.ru")
    assert second != first
    client.post("/accounts/login/code/confirm/", {"code": first})
    assert "_auth_user_id" not in client.session
    client.post("/accounts/login/code/confirm/", {"code": second})
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize(("waited", "logged_in"), [(14 * 60, True), (15 * 60 + 1, False)])
def test_login_code_lives_fifteen_minutes(client, django_capture_on_commit_callbacks, monkeypatch, waited, logged_in):
    UserFactory(email="ivanova@example.ru")
    code = _request_code(client, django_capture_on_commit_callbacks, "ivanova@example.ru")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + waited)
    client.post("/accounts/login/code/confirm/", {"code": code})
    assert ("_auth_user_id" in client.session) is logged_in
