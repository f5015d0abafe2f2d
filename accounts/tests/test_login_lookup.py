"""Signup, login by code and password reset say the same about whether a login has an account, within one allowance."""

import pytest

from accounts import exceptions
from accounts.tests.factories import PASSWORD, PhoneUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def signup(client, login: str):
    return client.post("/accounts/signup/", {"login": login, "password1": PASSWORD, "account_type": "person"})


def reset(client, email: str):
    return client.post("/accounts/password/reset/", {"email": email})


def code(client, **login):
    return client.post("/accounts/login/code/", login)


def field_errors(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


def test_a_taken_email_is_named_at_signup_and_the_typed_login_stays(client):
    UserFactory(email="ivanova@example.ru")

    response = signup(client, "Ivanova@example.ru")

    assert response.status_code == 200
    assert field_errors(response, "login") == [exceptions.EMAIL_TAKEN]
    assert 'value="Ivanova@example.ru"' in response.content.decode()


def test_a_taken_phone_is_named_at_signup(client):
    PhoneUserFactory(phone="+79161234567")

    response = signup(client, "8 916 123-45-67")

    assert field_errors(response, "login") == [exceptions.PHONE_TAKEN]


def test_a_reset_for_an_unknown_email_says_so_beside_the_field(client, mailoutbox):
    response = reset(client, "nobody@example.ru")

    assert response.status_code == 200
    assert field_errors(response, "email") == [exceptions.EMAIL_UNKNOWN]
    assert 'value="nobody@example.ru"' in response.content.decode()
    assert mailoutbox == []


def test_a_reset_for_a_known_email_sends_the_letter(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="ivanova@example.ru")

    with django_capture_on_commit_callbacks(execute=True):
        response = reset(client, "ivanova@example.ru")

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["ivanova@example.ru"]]


def test_a_login_code_for_an_unknown_email_or_phone_says_so(client, sms_outbox, mailoutbox):
    by_email = code(client, email="nobody@example.ru")
    by_phone = code(client, phone="+79160000000")

    assert field_errors(by_email, "email") == [exceptions.EMAIL_UNKNOWN]
    assert field_errors(by_phone, "phone") == [exceptions.PHONE_UNKNOWN]
    assert sms_outbox == [] and mailoutbox == []


def test_a_login_code_for_a_known_phone_goes_on_to_the_code(client, sms_outbox, django_capture_on_commit_callbacks):
    PhoneUserFactory(phone="+79161234567")

    with django_capture_on_commit_callbacks(execute=True):
        response = code(client, phone="+79161234567")

    assert response.status_code == 302
    assert len(sms_outbox) == 1


def test_the_three_forms_share_one_allowance_and_the_eleventh_answer_is_refused_beside_the_field(client):
    UserFactory(email="ivanova@example.ru")
    answers = [signup(client, "ivanova@example.ru") for _ in range(4)]
    answers += [reset(client, f"probe{n}@example.ru") for n in range(3)]
    answers += [code(client, email=f"probe{n}@example.ru") for n in range(3)]

    refused = reset(client, "ivanova@example.ru")
    refused_code = code(client, phone="+79160000000")
    refused_signup = signup(client, "probe@example.ru")

    assert [a.status_code for a in answers] == [200] * 10
    assert field_errors(refused, "email") == [exceptions.LOOKUPS_EXHAUSTED]
    assert 'value="ivanova@example.ru"' in refused.content.decode()
    assert field_errors(refused_code, "phone") == [exceptions.LOOKUPS_EXHAUSTED]
    assert field_errors(refused_signup, "login") == [exceptions.LOOKUPS_EXHAUSTED]


def test_the_allowance_is_per_address(client):
    for n in range(10):
        reset(client, f"probe{n}@example.ru")

    other = client.post("/accounts/password/reset/", {"email": "probe@example.ru"}, REMOTE_ADDR="203.0.113.9")

    assert field_errors(other, "email") == [exceptions.EMAIL_UNKNOWN]
