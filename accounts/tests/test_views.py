import re
import time
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from accounts import exceptions
from accounts.adapter import LOGIN_MISMATCH, TOO_MANY_ATTEMPTS
from accounts.models import AccountType, Company, ConsentRecord, User
from accounts.tests.factories import (
    PASSWORD,
    CompanyUserFactory,
    ConsentRecordFactory,
    PhoneUserFactory,
    UserFactory,
)
from accounts.validators import INN_CHECKSUM
from cart.models import Cart
from catalog.models import Category, ObjectType
from catalog.tests.factories import StockFactory
from core.models import Region

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
PROFILE = "/accounts/profile/"


def signup_post(client, **overrides):
    data = {"login": "ivanova@example.ru", "password1": PASSWORD, "account_type": "person", "consent": "on"}
    data.update(overrides)
    return client.post(SIGNUP, {k: v for k, v in data.items() if v is not None}, REMOTE_ADDR="203.0.113.7")


# --- Signup ---------------------------------------------------------------------------------


def test_signup_page_shows_the_form_with_the_register_button(client, django_assert_num_queries):
    with django_assert_num_queries(8):
        response = client.get(SIGNUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Зарегистрироваться</button>" in html
    assert 'href="/accounts/consent/"' in html
    assert 'href="/accounts/privacy/"' in html


def test_signup_by_phone_creates_the_account_logs_in_and_lands_home(client, django_assert_num_queries):
    flat = ObjectType.objects.get(slug="apartment")
    cctv = Category.objects.get(slug="videonablyudenie")
    region = Region.objects.get(code="77")
    with django_assert_num_queries(27):
        response = signup_post(
            client,
            login="8 916 123-45-67",
            first_name="Ирина",
            region=region.pk,
            object_type=flat.pk,
            interests=[cctv.pk],
        )
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(phone="+79161234567")
    assert (user.email, user.first_name, user.region, user.object_type) == (None, "Ирина", region, flat)
    assert list(user.interests.all()) == [cctv]
    assert user.account_type == AccountType.PERSON
    assert not user.phone_verified
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signup_records_consent_time_ip_and_text_version(client):
    signup_post(client, login="9161234567")
    consent = ConsentRecord.objects.get(user__phone="+79161234567")
    assert (consent.ip_address, consent.version, consent.withdrawn_at) == ("203.0.113.7", "2026-11-25", None)
    assert consent.given_at is not None


def test_signup_by_email_offers_confirmation_without_forcing_it(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup_post(client)
    assert response["Location"] == "/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ivanova@example.ru"]
    assert User.objects.get(email="ivanova@example.ru").emailaddress_set.get().verified is False


def test_signup_as_company_creates_the_company_and_shows_it_in_the_header(client):
    response = signup_post(
        client,
        account_type="company",
        inn="7707083893",
        kpp="773601001",
        company_name="ПАО Сбербанк",
        legal_address="117312, г. Москва, ул. Вавилова, д. 19",
        contact_name="Пётр Иванов",
        contact_phone="+7 916 111-22-33",
    )
    assert response.status_code == 302
    user = User.objects.get(email="ivanova@example.ru")
    assert user.account_type == AccountType.COMPANY
    assert (user.company.inn, user.company.kpp, user.company.contact_phone) == (
        "7707083893",
        "773601001",
        "+79161112233",
    )
    html = client.get("/accounts/consent/").content.decode()
    assert 'data-testid="header-company">ПАО Сбербанк<' in html


def test_signup_with_a_wrong_inn_is_refused_beside_the_field_and_keeps_the_input(client):
    response = signup_post(
        client,
        account_type="company",
        inn="7707083894",
        kpp="773601001",
        company_name="ПАО Сбербанк",
        legal_address="Москва",
        contact_name="Пётр Иванов",
        contact_phone="+79161112233",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert INN_CHECKSUM in html
    assert 'value="7707083894"' in html
    assert 'value="ПАО Сбербанк"' in html
    assert not User.objects.exists()
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": None}, "consent", exceptions.CONSENT_REQUIRED),
        ({"login": "+1 202 555 0143"}, "login", "Принимаются только российские номера телефонов (+7)."),
        ({"password1": "12345678"}, "password1", "Введённый пароль слишком широко распространён."),
    ],
)
def test_signup_bad_input_gets_a_russian_message_and_no_account(client, overrides, field, message):
    response = signup_post(client, **overrides)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_a_taken_login_says_so(client):
    PhoneUserFactory(phone="+79161234567")
    response = signup_post(client, login="+7 (916) 123-45-67")
    assert response.context["form"].errors["login"] == [exceptions.PHONE_TAKEN]
    assert User.objects.count() == 1


def test_signup_shows_a_name_full_of_html_escaped(client):
    name = '<script>alert("x")</script>'
    response = signup_post(client, first_name=name, consent=None)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    signup_post(client, first_name=name)
    profile = client.get(PROFILE).content.decode()
    assert "<script>alert" not in profile
    assert "&lt;script&gt;" in profile


# --- Login ----------------------------------------------------------------------------------


def test_login_page_shows_remember_me_and_the_login_button(client, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get(LOGIN)
    html = response.content.decode()
    assert "Войти</button>" in html
    assert "Запомнить меня" in html
    assert 'href="/accounts/login/code/"' in html


@pytest.mark.parametrize("typed", ["8 916 123-45-67", "+7 (916) 123 45 67", "9161234567"])
def test_login_by_phone_in_any_form_rotates_the_session_key(client, typed, django_assert_num_queries):
    user = PhoneUserFactory(phone="+79161234567")
    client.get(LOGIN)
    before = client.session.session_key
    # One of them finds the account, whose failed logins are counted together.
    with django_assert_num_queries(15):
        response = client.post(LOGIN, {"login": typed, "password": PASSWORD})
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session.session_key != before


def test_login_with_remember_me_lasts_30_days(client):
    UserFactory(email="ivanova@example.ru")
    response = client.post(LOGIN, {"login": "Ivanova@example.ru", "password": PASSWORD, "remember": "on"})
    assert response.cookies["sessionid"]["max-age"] == 30 * 24 * 60 * 60
    assert client.session.get_expire_at_browser_close() is False


def test_login_without_remember_me_ends_with_the_browser(client):
    UserFactory(email="ivanova@example.ru")
    response = client.post(LOGIN, {"login": "ivanova@example.ru", "password": PASSWORD})
    assert response.cookies["sessionid"]["max-age"] == ""
    assert response.cookies["sessionid"]["expires"] == ""
    assert client.session.get_expire_at_browser_close() is True


@pytest.mark.parametrize("login", ["ivanova@example.ru", "nobody@example.ru", "+79160000000"])
def test_login_failure_never_reveals_whether_the_account_exists(client, login):
    UserFactory(email="ivanova@example.ru")
    response = client.post(LOGIN, {"login": login, "password": "wrong-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [LOGIN_MISMATCH]


def test_login_is_refused_after_five_wrong_passwords_for_one_login(client):
    PhoneUserFactory(phone="+79161234567")
    for _ in range(5):
        response = client.post(LOGIN, {"login": "8 916 123-45-67", "password": "wrong-password"})
        assert response.context["form"].non_field_errors() == [LOGIN_MISMATCH]
    response = client.post(LOGIN, {"login": "+7 916 123 45 67", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [TOO_MANY_ATTEMPTS]
    assert TOO_MANY_ATTEMPTS in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_rate_limit_of_one_login_leaves_other_logins_alone(client):
    PhoneUserFactory(phone="+79161234567")
    other = PhoneUserFactory(phone="+79162223344")
    for _ in range(5):
        client.post(LOGIN, {"login": "+79161234567", "password": "wrong-password"})
    response = client.post(LOGIN, {"login": "+79162223344", "password": PASSWORD})
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == other.pk


def test_login_rate_limit_is_a_cool_off_that_passes(client, monkeypatch):
    PhoneUserFactory(phone="+79161234567")
    for _ in range(5):
        client.post(LOGIN, {"login": "+79161234567", "password": "wrong-password"})
    later = time.time() + 301
    clock = SimpleNamespace(time=lambda: later, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr("allauth.core.internal.ratelimit.time", clock)
    response = client.post(LOGIN, {"login": "+79161234567", "password": PASSWORD})
    assert response["Location"] == "/"


def test_wrong_passwords_by_email_and_by_phone_count_against_one_account(client):
    UserFactory(email="ivanova@example.ru", phone="+79161234567")
    for _ in range(5):
        client.post(LOGIN, {"login": "ivanova@example.ru", "password": "wrong-password"})
    response = client.post(LOGIN, {"login": "8 916 123-45-67", "password": PASSWORD})
    assert response.context["form"].non_field_errors() == [TOO_MANY_ATTEMPTS]
    assert "_auth_user_id" not in client.session


PROXY = "10.0.0.1"


def test_behind_a_trusted_proxy_failures_from_20_addresses_do_not_lock_a_21st(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="ivanova@example.ru")
    for n in range(20):
        client.post(
            LOGIN,
            {"login": f"made-up-{n}@example.ru", "password": "wrong-password"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
        )
    response = client.post(
        LOGIN,
        {"login": "ivanova@example.ru", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(email="ivanova@example.ru")
    for n in range(20):
        client.post(
            LOGIN,
            {"login": f"made-up-{n}@example.ru", "password": "wrong-password"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
        )
    response = client.post(
        LOGIN,
        {"login": "ivanova@example.ru", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.77",
    )
    assert response.context["form"].non_field_errors() == [TOO_MANY_ATTEMPTS]


@pytest.mark.parametrize(("count", "expected"), [(1, "198.51.100.23"), (0, PROXY)])
def test_consent_record_stores_the_client_address(client, settings, count, expected):
    settings.TRUSTED_PROXY_COUNT = count
    client.post(
        SIGNUP,
        {"login": "ivanova@example.ru", "password1": PASSWORD, "account_type": "person", "consent": "on"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert ConsentRecord.objects.get().ip_address == expected


def test_admin_login_goes_through_the_rate_limited_shop_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_admin_login_refuses_a_staff_member_after_five_wrong_passwords(client):
    UserFactory(email="admin@example.ru", is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post(LOGIN, {"login": "admin@example.ru", "password": "wrong-password", "next": "/admin/"})
    response = client.post(LOGIN, {"login": "admin@example.ru", "password": PASSWORD, "next": "/admin/"})
    assert response.context["form"].non_field_errors() == [TOO_MANY_ATTEMPTS]
    assert client.get("/admin/").status_code == 302


def test_admin_opens_for_staff_after_login(client):
    UserFactory(email="admin@example.ru", is_staff=True, is_superuser=True)
    response = client.post(LOGIN, {"login": "admin@example.ru", "password": PASSWORD, "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200


def test_logout_ends_the_session(client):
    client.force_login(UserFactory())
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


# --- Phone confirmation ---------------------------------------------------------------------


def test_phone_is_confirmed_by_an_sms_code_from_the_profile(client, sms_outbox, django_capture_on_commit_callbacks):
    user = PhoneUserFactory(phone="+79161234567")
    client.post(LOGIN, {"login": "+79161234567", "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/phone/change/", {"action": "verify"})
    assert response["Location"] == "/accounts/phone/verify/"
    assert sms_outbox[-1]["phone"] == "+79161234567"
    code = re.search(r"Код подтверждения Охрана Плюс: ([A-Z0-9-]+)\.", sms_outbox[-1]["text"]).group(1)
    response = client.post("/accounts/phone/verify/", {"code": code})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified is True


# --- Profile --------------------------------------------------------------------------------


def test_profile_needs_login(client):
    response = client.get(PROFILE)
    assert response["Location"].startswith("/accounts/login/?next=")


def test_profile_page_shows_links_and_consent(client, django_assert_num_queries):
    user = CompanyUserFactory()
    ConsentRecordFactory(user=user)
    client.force_login(user)
    # User (the session comes from the cache), company, consent and its text, the join requests, the notice
    # settings, the page.
    with django_assert_num_queries(13):
        response = client.get(PROFILE)
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Сменить пароль", "Мои заказы", "Мои заявки", "Отозвать согласие и удалить аккаунт", "версия текста"):
        assert text in html
    assert 'value="7707083893"' in html


def test_profile_saves_the_optional_data(client):
    user = UserFactory()
    client.force_login(user)
    office = ObjectType.objects.get(slug="office")
    alarm = Category.objects.get(slug="okhrannaya-signalizatsiya")
    response = client.post(
        PROFILE,
        {
            "action": "profile",
            "profile-first_name": "Анна",
            "profile-object_type": office.pk,
            "profile-interests": [alarm.pk],
        },
    )
    assert response["Location"] == PROFILE
    user.refresh_from_db()
    assert (user.first_name, user.object_type, list(user.interests.all())) == ("Анна", office, [alarm])


def test_profile_saves_company_details_and_refuses_a_wrong_inn(client):
    user = CompanyUserFactory()
    client.force_login(user)
    data = {
        "action": "company",
        "company-inn": "7728168971",
        "company-kpp": "772801001",
        "company-company_name": "АО «Альфа-Банк»",
        "company-legal_address": "107078, г. Москва, ул. Каланчёвская, д. 27",
        "company-contact_name": "Пётр Иванов",
        "company-contact_phone": "8 916 111-22-33",
    }
    response = client.post(PROFILE, {**data, "company-inn": "7728168970"})
    assert INN_CHECKSUM in response.content.decode()
    response = client.post(PROFILE, data)
    assert response["Location"] == PROFILE
    user.company.refresh_from_db()
    assert (user.company.inn, user.company.name) == ("7728168971", "АО «Альфа-Банк»")


def test_account_delete_withdraws_consent_and_removes_personal_data(client):
    user = CompanyUserFactory(phone="+79161234567", first_name="Ирина")
    consent = ConsentRecordFactory(user=user)
    client.force_login(user)
    client.post("/cart/add/", {"product": StockFactory(quantity=5).product.pk})
    assert client.get("/accounts/profile/delete/").status_code == 200
    response = client.post("/accounts/profile/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response["Location"] == "/"
    user.refresh_from_db()
    consent.refresh_from_db()
    assert (user.phone, user.first_name, user.company, user.is_active) == (None, "", None, False)
    assert user.email == f"deleted-{user.pk}@deleted.invalid"
    assert not user.has_usable_password()
    assert consent.withdrawn_at is not None
    assert Company.objects.get().contact_name == ""
    assert "_auth_user_id" not in client.session
    assert not Cart.objects.filter(user=user).exists()


def test_account_delete_with_a_wrong_password_keeps_the_account(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/profile/delete/", {"password": "nope", "confirm": "on"})
    assert exceptions.CONFIRMATION_FAILED in response.content.decode()
    user.refresh_from_db()
    assert user.is_active


# --- Texts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("accounts:consent", "Согласие на обработку персональных данных"),
        ("accounts:privacy", "Политика конфиденциальности"),
    ],
)
def test_consent_and_privacy_pages_show_their_text(client, url, title, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get(reverse(url))
    html = response.content.decode()
    assert title in html
    assert "2026-11-25" in html


def test_login_brings_the_guest_cart_into_the_account(client):
    from cart.models import CartLine
    from catalog.tests.factories import StockFactory

    user = UserFactory(email="buyer@example.ru")
    product = StockFactory(quantity=20).product
    client.post("/cart/add/", {"product": product.pk, "quantity": "3"})
    response = client.post(LOGIN, {"login": "buyer@example.ru", "password": PASSWORD})
    assert response.status_code == 302
    line = CartLine.objects.get(cart__user=user)
    assert (line.product, line.quantity) == (product, 3)
    assert client.get("/cart/").context["cart_count"] == 3


@pytest.mark.parametrize("data", [{}, {"email": ""}, {"phone": ""}, {"email": "", "phone": ""}])
def test_login_code_request_without_email_or_phone_asks_for_one(client, data):
    response = client.post("/accounts/login/code/", data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [exceptions.LOGIN_REQUIRED]


def test_reauthenticate_page_asks_for_the_password_in_russian(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/accounts/reauthenticate/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Подтвердите, что это вы" in html
    assert 'name="password"' in html
    response = client.post("/accounts/reauthenticate/", {"password": "wrong-password"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD, "next": "/accounts/profile/"})
    assert response["Location"] == "/accounts/profile/"


def test_admin_shows_times_in_moscow_time(client):
    from datetime import UTC, datetime

    UserFactory(email="admin-tz@example.ru", is_staff=True, is_superuser=True)
    UserFactory(email="night@example.ru", date_joined=datetime(2026, 3, 1, 21, 30, tzinfo=UTC))
    client.post(LOGIN, {"login": "admin-tz@example.ru", "password": PASSWORD})
    html = client.get("/admin/accounts/user/?q=night").content.decode()
    # 21:30 UTC is 00:30 the next day in Moscow.
    assert "2 марта 2026 г. 0:30" in html
