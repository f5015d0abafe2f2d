import pytest

from accounts import exceptions
from accounts.forms import AccountDeleteForm, CompanyForm, LoginForm, ProfileForm, SignupForm
from accounts.tests.factories import PASSWORD, CompanyFactory, PhoneUserFactory, UserFactory
from accounts.validators import (
    INN_CHECKSUM,
    KPP_NOT_FOR_SOLE_TRADER,
    KPP_REQUIRED,
    PHONE_NOT_MOBILE,
    PHONE_NOT_RUSSIAN,
    PHONE_TOLL_FREE,
)
from catalog.models import Category, ObjectType
from core.models import Region

pytestmark = pytest.mark.django_db

COMPANY = {
    "account_type": "company",
    "inn": "7707083893",
    "kpp": "773601001",
    "company_name": "ПАО Сбербанк",
    "legal_address": "117312, г. Москва, ул. Вавилова, д. 19",
    "contact_name": "Пётр Иванов",
    "contact_phone": "8 916 111-22-33",
    "contact_email": "Zakupki@Example.ru",
}


def signup_data(**overrides):
    data = {"login": "ivanova@example.ru", "password1": PASSWORD, "account_type": "person", "consent": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def signup_form(**overrides):
    return SignupForm(data=signup_data(**overrides))


def test_signup_form_accepts_email_and_lowercases_it():
    form = signup_form(login="  Ivanova@Example.RU ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "ivanova@example.ru"
    assert form.cleaned_data["phone"] is None


@pytest.mark.parametrize("typed", ["8 916 123-45-67", "+7 (916) 123 45 67", "9161234567"])
def test_signup_form_stores_any_usual_phone_form_as_e164(typed):
    form = signup_form(login=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+79161234567"
    assert form.cleaned_data["email"] is None


def test_signup_form_refuses_a_foreign_phone():
    form = signup_form(login="+1 202 555 0143")
    assert form.errors["login"] == [PHONE_NOT_RUSSIAN]


def test_signup_form_refuses_text_that_is_neither_email_nor_phone():
    form = signup_form(login="ivanova")
    assert form.errors["login"] == [exceptions.LOGIN_INVALID]


def test_signup_form_refuses_a_taken_email_in_any_case():
    UserFactory(email="ivanova@example.ru")
    form = signup_form(login="IVANOVA@example.ru")
    assert form.errors["login"] == [exceptions.EMAIL_TAKEN]


def test_signup_form_refuses_a_taken_phone_typed_differently():
    PhoneUserFactory(phone="+79161234567")
    form = signup_form(login="8 (916) 123-45-67")
    assert form.errors["login"] == [exceptions.PHONE_TAKEN]


def test_signup_form_refuses_without_consent():
    form = signup_form(consent=None)
    assert form.errors["consent"] == [exceptions.CONSENT_REQUIRED]


def test_signup_form_consent_is_unticked_at_start():
    form = SignupForm()
    assert 'name="consent"' in str(form["consent"])
    assert "checked" not in str(form["consent"])


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("Ab1!xyz", "слишком короткий"), ("qwerty123", "распространён"), ("83749261057", "только из цифр")],
)
def test_signup_form_refuses_weak_passwords(password, fragment):
    form = signup_form(password1=password)
    assert fragment in " ".join(form.errors["password1"])


def test_signup_form_refuses_a_password_like_the_email():
    form = signup_form(login="ohranaplus@example.ru", password1="ohranaplus")
    assert "похож" in " ".join(form.errors["password1"])


def test_signup_form_accepts_a_64_character_password_without_composition_rules():
    form = signup_form(password1="длинная фраза без цифр и знаков но очень длинная и вполне надёжная!"[:64])
    assert form.is_valid(), form.errors


def test_signup_form_takes_optional_profile_fields():
    region = Region.objects.get(code="66")
    flat = ObjectType.objects.get(slug="apartment")
    cctv = Category.objects.get(slug="videonablyudenie")
    form = signup_form(first_name="Ирина", region=region.pk, object_type=flat.pk, interests=[cctv.pk])
    assert form.is_valid(), form.errors
    profile = form.profile_data()
    assert (profile.first_name, profile.region_id, profile.object_type_id, profile.interest_ids) == (
        "Ирина",
        region.pk,
        flat.pk,
        [cctv.pk],
    )


def test_signup_form_offers_the_six_interests_in_catalog_order():
    labels = [label for _, label in SignupForm().fields["interests"].choices]
    assert labels == [
        "Видеонаблюдение",
        "Охранная сигнализация",
        "Датчики (дым, утечка)",
        "Умный дом",
        "Готовые комплекты",
        "Монтаж и сервис",
    ]


def test_signup_form_offers_every_region_with_none_chosen():
    html = str(SignupForm()["region"])
    assert '<option value="" selected>Выберите регион</option>' in html
    assert html.count("<option") == Region.objects.count() + 1


def test_signup_form_accepts_a_company_with_valid_details():
    form = signup_form(**COMPANY)
    assert form.is_valid(), form.errors
    company = form.company_data()
    assert (company.inn, company.kpp, company.contact_phone, company.contact_email) == (
        "7707083893",
        "773601001",
        "+79161112233",
        "zakupki@example.ru",
    )


def test_signup_form_refuses_a_company_inn_with_a_wrong_checksum():
    form = signup_form(**{**COMPANY, "inn": "7707083894"})
    assert form.errors["inn"] == [INN_CHECKSUM]


def test_signup_form_requires_kpp_for_a_ten_digit_inn():
    form = signup_form(**{**COMPANY, "kpp": ""})
    assert form.errors["kpp"] == [KPP_REQUIRED]


def test_signup_form_refuses_kpp_for_a_sole_trader():
    form = signup_form(**{**COMPANY, "inn": "500100732259"})
    assert form.errors["kpp"] == [KPP_NOT_FOR_SOLE_TRADER]


def test_signup_form_accepts_a_sole_trader_without_kpp():
    form = signup_form(**{**COMPANY, "inn": "500100732259", "kpp": ""})
    assert form.is_valid(), form.errors


def test_signup_form_requires_company_details_only_for_a_company():
    form = signup_form(account_type="company")
    for name in ("inn", "company_name", "legal_address", "contact_name", "contact_phone"):
        assert form.errors[name] == [exceptions.FIELD_REQUIRED_FOR_COMPANY]
    assert signup_form(inn="123").is_valid()


@pytest.mark.parametrize("typed", ["8 916 123-45-67", "+7 (916) 123 45 67", "9161234567"])
def test_login_form_logs_in_by_a_phone_in_any_usual_form(rf, typed):
    user = PhoneUserFactory(phone="+79161234567")
    request = rf.post("/accounts/login/")
    request.session = {}
    form = LoginForm(data={"login": typed, "password": PASSWORD}, request=request)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["login"] == "+79161234567"
    assert form.user == user


def test_login_form_lowercases_an_email_login():
    form = LoginForm(data={})
    form.cleaned_data = {"login": " Ivanova@Example.RU "}
    assert form.clean_login() == "ivanova@example.ru"


def test_login_form_has_an_unticked_remember_me():
    form = LoginForm()
    assert form.fields["remember"].label == "Запомнить меня"
    assert "checked" not in str(form["remember"])


def test_profile_form_starts_from_the_users_data():
    user = UserFactory(first_name="Ирина", region=Region.objects.get(code="78"))
    form = ProfileForm(user=user)
    assert form["first_name"].value() == "Ирина"
    assert form["region"].value() == user.region_id


def test_company_form_refuses_a_wrong_inn():
    data = {k: v for k, v in COMPANY.items() if k != "account_type"}
    form = CompanyForm(data={**data, "inn": "7728168970"}, company=CompanyFactory())
    assert form.errors["inn"] == [INN_CHECKSUM]


def test_account_delete_form_requires_the_right_password_and_confirmation():
    user = UserFactory()
    form = AccountDeleteForm(data={"password": "wrong"}, user=user)
    assert form.errors == {"password": [exceptions.CONFIRMATION_FAILED], "confirm": ["Подтвердите удаление аккаунта."]}
    assert AccountDeleteForm(data={"password": PASSWORD, "confirm": "on"}, user=user).is_valid()


@pytest.mark.parametrize(
    ("login", "message"), [("8 800 555-35-35", PHONE_TOLL_FREE), ("+7 495 123-45-67", PHONE_NOT_MOBILE)]
)
def test_signup_by_phone_needs_a_mobile_number_for_the_sms_codes(login, message):
    assert signup_form(login=login).errors["login"] == [message]
