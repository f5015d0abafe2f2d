"""Signup, login, profile and company forms."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context, ratelimit
from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts import exceptions, selectors, services
from accounts.fields import InnField, KppField, RussianPhoneField
from accounts.models import AccountType, User
from accounts.validators import (
    KPP_NOT_FOR_SOLE_TRADER,
    KPP_REQUIRED,
    looks_like_phone,
    normalize_mobile_phone,
    normalize_phone,
)
from catalog.models import Category, ObjectType
from core.http import client_ip
from core.models import Region

INTEREST_SLUGS = (
    "videonablyudenie",
    "okhrannaya-signalizatsiya",
    "datchiki",
    "umnyj-dom",
    "gotovye-komplekty",
    "montazh-i-servis",
)
COMPANY_FIELDS = ("inn", "kpp", "company_name", "legal_address", "contact_name", "contact_phone", "contact_email")
REQUIRED_COMPANY_FIELDS = ("inn", "company_name", "legal_address", "contact_name", "contact_phone")


def lookup_allowed() -> None:
    """Count one answer about whether a login has an account; refuse past the address's allowance."""
    request = context.request
    if request is not None and not ratelimit.consume(request, action="login_lookup"):
        raise ValidationError(exceptions.LOOKUPS_EXHAUSTED, code="rate_limited")


def parse_login(value: str, *, mobile: bool = False) -> tuple[str | None, str | None]:
    """Split a typed login into (email, phone); the phone comes back in E.164, a mobile one if asked."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(exceptions.LOGIN_REQUIRED, code="required")
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError as error:
            raise ValidationError("Введите правильный адрес электронной почты.", code="invalid_email") from error
        return text.lower(), None
    if looks_like_phone(text):
        return None, normalize_mobile_phone(text) if mobile else normalize_phone(text)
    raise ValidationError(exceptions.LOGIN_INVALID, code="invalid_login")


def _consent_label():
    return format_html(
        'Даю <a href="{}" target="_blank">согласие на обработку персональных данных</a>',
        reverse("accounts:consent"),
    )


def _privacy_note():
    return format_html(
        '<p class="small text-muted">Нажимая «Зарегистрироваться», вы принимаете '
        '<a href="{}" target="_blank">политику конфиденциальности</a>.</p>',
        reverse("accounts:privacy"),
    )


def interest_queryset():
    return Category.objects.filter(parent=None, is_active=True, slug__in=INTEREST_SLUGS).order_by("position", "name")


class ProfileFieldsMixin(forms.Form):
    first_name = forms.CharField(label="Имя", max_length=150, required=False)
    region = forms.ModelChoiceField(
        label="Город или регион",
        queryset=Region.objects.all(),
        required=False,
        empty_label="Выберите регион",
        # Asked, never guessed: a time zone does not tell Saint Petersburg from Moscow.
        help_text="От региона зависят способы и сроки доставки.",
    )
    object_type = forms.ModelChoiceField(
        label="Тип объекта",
        queryset=ObjectType.objects.all(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    interests = forms.ModelMultipleChoiceField(
        label="Что вас интересует",
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def _setup_profile_fields(self):
        self.fields["interests"].queryset = interest_queryset()

    def profile_data(self) -> services.ProfileData:
        data = self.cleaned_data
        return services.ProfileData(
            first_name=data.get("first_name", ""),
            region_id=data["region"].pk if data.get("region") else None,
            object_type_id=data["object_type"].pk if data.get("object_type") else None,
            interest_ids=[c.pk for c in data.get("interests") or []],
        )


class CompanyFieldsMixin(forms.Form):
    inn = InnField(required=False, help_text="10 цифр для организации, 12 — для ИП.")
    kpp = KppField(required=False, help_text="Обязателен для организации.")
    company_name = forms.CharField(label="Название компании", max_length=255, required=False)
    legal_address = forms.CharField(label="Юридический адрес", max_length=500, required=False)
    contact_name = forms.CharField(label="Контактное лицо (ФИО)", max_length=150, required=False)
    contact_phone = RussianPhoneField(label="Телефон контактного лица", required=False)
    contact_email = forms.EmailField(label="Email контактного лица", required=False)

    def _clean_company(self, cleaned: dict) -> None:
        for name in REQUIRED_COMPANY_FIELDS:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, exceptions.FIELD_REQUIRED_FOR_COMPANY)
        inn, kpp = cleaned.get("inn"), cleaned.get("kpp")
        if inn and len(inn) == 10 and not kpp and "kpp" not in self.errors:
            self.add_error("kpp", KPP_REQUIRED)
        if inn and len(inn) == 12 and kpp:
            self.add_error("kpp", KPP_NOT_FOR_SOLE_TRADER)

    def company_data(self) -> services.CompanyData:
        data = self.cleaned_data
        return services.CompanyData(
            inn=data["inn"],
            kpp=data.get("kpp") or "",
            name=data["company_name"],
            legal_address=data["legal_address"],
            contact_name=data["contact_name"],
            contact_phone=data.get("contact_phone") or "",
            contact_email=(data.get("contact_email") or "").lower(),
        )


class LoginForm(AllauthLoginForm):
    """allauth's login with one field for an email or a phone in any usual form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Email или телефон"
        login.widget.attrs.update({"placeholder": "name@example.ru или +7 916 123-45-67", "autocomplete": "username"})
        self.fields["password"].label = "Пароль"
        self.fields["password"].widget.attrs["placeholder"] = "Пароль"
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Запомнить меня"
            self.fields["remember"].help_text = "На 30 дней на этом устройстве"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_login(self) -> str:
        email, phone = parse_login(super().clean_login())
        return email or phone


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """allauth's request for a login code, which must name an email or a phone."""

    def clean_email(self) -> str:
        if self.cleaned_data.get("email"):
            lookup_allowed()
        return super().clean_email()

    def clean_phone(self) -> str:
        if self.cleaned_data.get("phone"):
            lookup_allowed()
        return super().clean_phone()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            # allauth would accept the empty form and then fail looking for its user.
            raise ValidationError(exceptions.LOGIN_REQUIRED, code="required")
        return cleaned


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's password reset, counted against the same allowance as signup and login by code."""

    def clean_email(self) -> str:
        lookup_allowed()
        return super().clean_email()


class SignupForm(ProfileFieldsMixin, CompanyFieldsMixin, AllauthSignupForm):
    """Signup by email or phone with an optional profile, company details and the 152-FZ consent."""

    login = forms.CharField(
        label="Email или телефон",
        max_length=254,
        widget=forms.TextInput(
            attrs={"placeholder": "name@example.ru или +7 916 123-45-67", "autocomplete": "username", "autofocus": True}
        ),
    )
    account_type = forms.ChoiceField(
        label="Тип аккаунта",
        choices=AccountType.choices,
        initial=AccountType.PERSON,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=lazy(_consent_label, SafeString)(),
        required=True,
        error_messages={"required": exceptions.CONSENT_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The single login field replaces allauth's separate email and phone fields.
        self.fields.pop("email", None)
        self.fields.pop("phone", None)
        self.fields["password1"].label = "Пароль"
        self.fields["password1"].widget.attrs["placeholder"] = "Не короче 8 символов"
        self._setup_profile_fields()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("Данные для входа", "login", "password1"),
            InlineRadios("account_type"),
            Div(
                HTML('<legend class="fs-5">Реквизиты компании</legend>'),
                Div(Div("inn", css_class="col-md-6"), Div("kpp", css_class="col-md-6"), css_class="row"),
                "company_name",
                "legal_address",
                HTML('<p class="fw-semibold mb-2">Ответственный за закупки</p>'),
                "contact_name",
                Div(
                    Div("contact_phone", css_class="col-md-6"),
                    Div("contact_email", css_class="col-md-6"),
                    css_class="row",
                ),
                css_id="company-fields",
                css_class="border rounded p-3 mb-3 bg-light",
            ),
            Fieldset(
                "О вас — необязательно",
                "first_name",
                "region",
                InlineRadios("object_type"),
                "interests",
            ),
            "consent",
            HTML(lazy(_privacy_note, SafeString)()),
        )

    def clean_login(self) -> str:
        # A phone login receives the SMS codes of login and confirmation: it must be a mobile number.
        email, phone = parse_login(self.cleaned_data.get("login", ""), mobile=True)
        lookup_allowed()
        taken = selectors.login_taken(email=email, phone=phone)
        if taken:
            raise ValidationError(taken, code="email_taken" if taken == exceptions.EMAIL_TAKEN else "phone_taken")
        self._email, self._phone = email, phone
        return email or phone

    def clean(self):
        if "login" in self.cleaned_data:
            self.cleaned_data["email"] = self._email
            self.cleaned_data["phone"] = self._phone
        cleaned = super().clean()
        if cleaned.get("account_type") == AccountType.COMPANY:
            self._clean_company(cleaned)
        else:
            # A person's account ignores whatever was typed into the hidden company fields.
            for name in COMPANY_FIELDS:
                self.errors.pop(name, None)
                cleaned.pop(name, None)
        return cleaned

    def register(self, *, request, user: User) -> User:
        """Create the account from the cleaned data; called by the adapter's save_user."""
        data = self.cleaned_data
        is_company = data["account_type"] == AccountType.COMPANY
        user = services.customer_register(
            user=user,
            email=data.get("email"),
            phone=data.get("phone"),
            password=data["password1"],
            account_type=data["account_type"],
            profile=self.profile_data(),
            company=self.company_data() if is_company else None,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        if is_company and user.company_id is None:
            messages.info(request, exceptions.JOIN_REQUESTED.format(name=data["company_name"]))
        return user


class ProfileForm(ProfileFieldsMixin):
    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "region": user.region_id,
                "object_type": user.object_type_id,
                "interests": list(user.interests.values_list("pk", flat=True)),
            },
        )
        super().__init__(*args, **kwargs)
        self._setup_profile_fields()
        self.helper = FormHelper()
        self.helper.form_tag = False


class CompanyForm(CompanyFieldsMixin):
    def __init__(self, *args, company=None, **kwargs):
        if company is not None:
            kwargs.setdefault(
                "initial",
                {
                    "inn": company.inn,
                    "kpp": company.kpp,
                    "company_name": company.name,
                    "legal_address": company.legal_address,
                    "contact_name": company.contact_name,
                    "contact_phone": company.contact_phone,
                    "contact_email": company.contact_email,
                },
            )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        self._clean_company(cleaned)
        return cleaned


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Пароль", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label="Я понимаю, что аккаунт будет удалён, а персональные данные стёрты без возможности восстановления",
        required=True,
        error_messages={"required": "Подтвердите удаление аккаунта."},
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(exceptions.CONFIRMATION_FAILED, code="wrong_password")
        return password
