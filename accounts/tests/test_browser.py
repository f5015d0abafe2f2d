"""Browser journeys for БП-1 and БП-2 in Chromium."""

import re
import time

import pytest

from accounts.models import AccountType, User
from accounts.tests.factories import PASSWORD

# serialized_rollback restores the regions, object types and categories the data migration loaded.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THIRTY_DAYS = 30 * 24 * 60 * 60


def _session_cookie(page):
    return next(c for c in page.context.cookies() if c["name"] == "sessionid")


def _log_out(page):
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("link", name="Войти").is_visible()


def _log_in(page, *, login: str, remember: bool):
    page.goto("/accounts/login/")
    page.get_by_label("Email или телефон").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    if remember:
        page.get_by_label("Запомнить меня").check()
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/$"))


def test_person_and_company_register_then_log_in_with_and_without_remember_me(page, screenshot):
    # A person registers by phone typed the way people write it.
    page.goto("/accounts/signup/")
    screenshot("accounts-signup")
    page.get_by_label("Email или телефон").fill("8 916 123-45-67")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_label("Имя").fill("Ирина")
    page.get_by_label("Квартира").check()
    page.get_by_label("Видеонаблюдение").check()
    page.get_by_role("checkbox", name=re.compile("согласие на обработку")).check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_test_id("header-profile").inner_text() == "Ирина"
    person = User.objects.get(phone="+79161234567")
    assert person.account_type == AccountType.PERSON
    assert person.consents.get().version == "2026-11-25"
    _log_out(page)

    # A company: a wrong ИНН is refused beside its field with everything typed kept, the right one accepted.
    page.goto("/accounts/signup/")
    page.get_by_label("Компания").check()
    page.get_by_label("Email или телефон").fill("zakupki@sberbank.example")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_label("ИНН").fill("7707083894")
    page.get_by_label("КПП").fill("773601001")
    page.get_by_label("Название компании").fill("ПАО Сбербанк")
    page.get_by_label("Юридический адрес").fill("117312, г. Москва, ул. Вавилова, д. 19")
    page.get_by_label("Контактное лицо (ФИО)").fill("Пётр Иванов")
    page.get_by_label("Телефон контактного лица").fill("+7 (916) 111-22-33")
    page.get_by_role("checkbox", name=re.compile("согласие на обработку")).check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    error = page.locator("#company-fields").get_by_text("ИНН указан неверно: не сходится контрольное число")
    error.wait_for()
    screenshot("accounts-signup-wrong-inn")
    assert page.get_by_label("Название компании").input_value() == "ПАО Сбербанк"
    assert page.get_by_label("Email или телефон").input_value() == "zakupki@sberbank.example"
    assert not User.objects.filter(email="zakupki@sberbank.example").exists()
    page.get_by_label("ИНН").fill("7707083893")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("согласие на обработку")).check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_test_id("header-company").inner_text() == "ПАО Сбербанк"
    assert User.objects.get(email="zakupki@sberbank.example").company.inn == "7707083893"
    _log_out(page)

    # «Запомнить меня» ticked: the session cookie lives 30 days.
    page.goto("/accounts/login/")
    screenshot("accounts-login")
    _log_in(page, login="+7 (916) 123 45 67", remember=True)
    cookie = _session_cookie(page)
    assert abs(cookie["expires"] - (time.time() + THIRTY_DAYS)) < 120
    _log_out(page)

    # Unticked: a browser-session cookie, gone when the browser closes.
    _log_in(page, login="9161234567", remember=False)
    assert _session_cookie(page)["expires"] == -1
    assert page.get_by_test_id("header-profile").inner_text() == "Ирина"


def test_signup_asks_for_the_region_instead_of_guessing_it_from_the_time_zone(chromium, live_server):
    # Saint Petersburg shares Moscow's time zone: a guess would be wrong for it.
    context = chromium.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Europe/Moscow")
    try:
        tab = context.new_page()
        tab.goto("/accounts/signup/")
        region = tab.get_by_label("Город или регион")
        assert region.locator("option:checked").inner_text() == "Выберите регион"
        region.select_option(label="Москва")
        assert region.locator("option:checked").inner_text() == "Москва"
    finally:
        context.close()


def test_company_fields_hidden_for_a_person_and_shown_for_a_company(page):
    page.goto("/accounts/signup/")
    assert not page.get_by_label("ИНН").is_visible()
    page.get_by_label("Компания").check()
    assert page.get_by_label("ИНН").is_visible()
