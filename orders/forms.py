"""The checkout form: buyer, region, delivery, promo code and points, each checked beside its field."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import password_validation

from accounts.fields import InnField, KppField, RussianPhoneField
from accounts.forms import SignupForm
from accounts.selectors import login_taken
from accounts.validators import KPP_NOT_FOR_SOLE_TRADER, KPP_REQUIRED
from delivery.exceptions import WindowFull, WindowInPast
from delivery.models import DeliveryKind
from orders.exceptions import OrderAccountNoLogin
from orders.models import PaymentMethod
from orders.selectors import CheckoutInfo
from orders.services.account import order_account_user
from promotions.exceptions import PromoNotFound
from promotions.models import CODE_MAX_LENGTH

REQUIRED = "Заполните это поле"
REGION_UNKNOWN = "Выберите регион из списка"
DELIVERY_REQUIRED = "Выберите способ доставки"
DELIVERY_UNAVAILABLE = "Этот способ доставки недоступен в выбранном регионе"
POINT_REQUIRED = "Выберите пункт из списка"
POINT_FOREIGN = "Такого пункта нет в выбранном регионе — выберите из списка"
WINDOW_REQUIRED = "Выберите дату и время доставки"
WINDOW_UNKNOWN = "Выберите дату и время доставки из списка"
CONTACT_REQUIRED = "Укажите email или телефон"
POINTS_INVALID = "Укажите целое число баллов"
POINTS_NEGATIVE = "Количество баллов не может быть отрицательным"

# Action buttons of the one checkout form.
ACTION_PAY = "pay"
ACTION_REFRESH = "refresh"
ACTION_PROMO_APPLY = "promo_apply"
ACTION_PROMO_REMOVE = "promo_remove"
ACTIONS = {ACTION_PAY, ACTION_REFRESH, ACTION_PROMO_APPLY, ACTION_PROMO_REMOVE}

BUYER_FIELDS = ["full_name", "email", "phone"]
COMPANY_FIELDS = ["company_name", "inn", "kpp", "legal_address", "contact_name"]
STATE_FIELDS = [
    "region",
    "as_company",
    *BUYER_FIELDS,
    *COMPANY_FIELDS,
    "delivery",
    "pickup_point",
    "courier_address",
    "window",
    "promo_code",
    "points",
]


class CheckoutForm(forms.Form):
    region = forms.CharField(label="Регион", required=False)
    as_company = forms.BooleanField(label="Покупаю как организация", required=False)
    full_name = forms.CharField(label="ФИО", max_length=150, required=False)
    email = forms.EmailField(label="Email", max_length=254, required=False)
    phone = RussianPhoneField(required=False)
    company_name = forms.CharField(label="Название организации", max_length=255, required=False)
    inn = InnField(required=False)
    kpp = KppField(required=False)
    legal_address = forms.CharField(label="Юридический адрес", max_length=500, required=False)
    contact_name = forms.CharField(label="Контактное лицо", max_length=150, required=False)
    delivery = forms.CharField(label="Способ доставки", max_length=20, required=False)
    pickup_point = forms.CharField(label="Пункт получения", max_length=20, required=False)
    courier_address = forms.CharField(label="Адрес доставки", max_length=300, required=False)
    window = forms.CharField(label="Дата и время доставки", max_length=30, required=False)
    promo_code = forms.CharField(
        label="Промокод",
        max_length=CODE_MAX_LENGTH,
        required=False,
        error_messages={"max_length": PromoNotFound.message},
    )
    points = forms.CharField(label="Оплатить баллами", max_length=12, required=False)

    def __init__(self, *args, info: CheckoutInfo, is_company: bool, final: bool, **kwargs):
        """`final` is the «Оплата» press: everything an order needs must then be given."""
        super().__init__(*args, **kwargs)
        self.info = info
        self.is_company = is_company
        self.final = final
        self.fields["courier_address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["as_company"].widget.attrs["data-autosubmit-change"] = ""

    # --- fields -----------------------------------------------------------------------------

    def clean_region(self):
        value = self.cleaned_data["region"]
        if not value:
            if self.final:
                raise forms.ValidationError(REGION_UNKNOWN)
            return None
        if self.info.region is None or str(self.info.region.pk) != value.strip():
            raise forms.ValidationError(REGION_UNKNOWN)
        return self.info.region

    def clean_delivery(self):
        kind = self.cleaned_data["delivery"]
        if not kind:
            if self.final:
                raise forms.ValidationError(DELIVERY_REQUIRED)
            return None
        offer = self.info.offer(kind)
        if offer is None:
            raise forms.ValidationError(DELIVERY_UNAVAILABLE)
        if not offer.can_carry:
            raise forms.ValidationError(offer.refusal)
        return offer

    def clean_points(self):
        value = (self.cleaned_data["points"] or "").strip()
        if not value:
            return 0
        try:
            points = int(value)
        except ValueError:
            raise forms.ValidationError(POINTS_INVALID) from None
        if points < 0:
            raise forms.ValidationError(POINTS_NEGATIVE)
        return points

    def clean_promo_code(self):
        return self.cleaned_data["promo_code"].strip().upper()

    # --- the form as a whole ----------------------------------------------------------------

    def _require(self, names: list[str]) -> None:
        for name in names:
            if name not in self.errors and not self.cleaned_data.get(name):
                self.add_error(name, REQUIRED)

    def _clean_pickup(self, offer) -> None:
        value = (self.cleaned_data.get("pickup_point") or "").strip()
        if not value:
            self.cleaned_data["pickup_point"] = None
            if self.final:
                self.add_error("pickup_point", POINT_REQUIRED)
            return
        point = next((p for p in offer.points if str(p.pk) == value), None)
        if point is None:
            self.add_error("pickup_point", POINT_FOREIGN)
        else:
            self.cleaned_data["pickup_point"] = point

    def _clean_window(self) -> None:
        value = (self.cleaned_data.get("window") or "").strip()
        if not value:
            self.cleaned_data["window"] = None
            if self.final:
                self.add_error("window", WINDOW_REQUIRED)
            return
        date_text, _, slot = value.partition("|")
        try:
            date = datetime.date.fromisoformat(date_text)
        except ValueError:
            self.add_error("window", WINDOW_UNKNOWN)
            return
        if date <= self.info.today:
            self.add_error("window", WindowInPast.message)
            return
        choice = next((w for w in self.info.windows if w.date == date and w.slot == slot), None)
        if choice is None:
            self.add_error("window", WINDOW_UNKNOWN)
        elif choice.is_full:
            self.add_error("window", WindowFull.message)
        else:
            self.cleaned_data["window"] = choice

    def clean(self):
        data = super().clean()
        offer = data.get("delivery")
        if offer is not None and offer.kind in (DeliveryKind.PICKUP, DeliveryKind.POINT):
            self._clean_pickup(offer)
        if offer is not None and offer.kind == DeliveryKind.COURIER:
            self._clean_window()
        if not self.final:
            return data
        if offer is not None and offer.kind in (DeliveryKind.COURIER, DeliveryKind.POST):
            self._require(["courier_address"])
        if self.is_company:
            # КПП depends on the ИНН: a legal entity has one, a sole trader none.
            self._require([name for name in COMPANY_FIELDS if name != "kpp"])
            inn, kpp = data.get("inn") or "", data.get("kpp") or ""
            if len(inn) == 10 and not kpp and "kpp" not in self.errors:
                self.add_error("kpp", KPP_REQUIRED)
            if len(inn) == 12 and kpp:
                self.add_error("kpp", KPP_NOT_FOR_SOLE_TRADER)
        else:
            self._require(["full_name"])
        if (
            not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error("email", CONTACT_REQUIRED)
        return data


def wants_company(data: dict) -> bool:
    """Whether a guest ticked «Покупаю как организация», read as the form's checkbox reads it."""
    return CheckoutForm.base_fields["as_company"].to_python(data.get("as_company"))


METHOD_REQUIRED = "Выберите способ оплаты"
RECEIPT_EMAIL_REQUIRED = "Укажите email: при оплате картой или через СБП чек приходит только на почту"
RECEIPT_EMAIL_INVALID = "Введите email в виде name@example.ru"
# YooKassa delivers the fiscal receipt of an online payment by email only.
RECEIPT_BY_EMAIL = frozenset({PaymentMethod.CARD.value, PaymentMethod.SBP.value})


class PaymentMethodForm(forms.Form):
    """«Оплата»: how the buyer pays, an email for the receipt when the checkout has none, the total shown."""

    payment_method = forms.ChoiceField(
        label="Способ оплаты",
        widget=forms.RadioSelect,
        error_messages={"required": METHOD_REQUIRED, "invalid_choice": METHOD_REQUIRED},
    )
    receipt_email = forms.EmailField(
        label="Email для чека",
        max_length=254,
        required=False,
        help_text="Нужен при оплате картой или через СБП: чек придёт на эту почту",
        error_messages={"invalid": RECEIPT_EMAIL_INVALID, "max_length": RECEIPT_EMAIL_INVALID},
    )
    expected_total = forms.DecimalField(max_digits=12, decimal_places=2, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices: list[tuple[str, str]], total: Decimal, ask_email: bool, **kwargs):
        """`total` is the total the page shows; `ask_email` is true when the checkout has no email."""
        super().__init__(*args, **kwargs)
        self.fields["payment_method"].choices = choices
        self.fields["expected_total"].initial = total
        self.total = total
        if ask_email:
            self.fields["receipt_email"].widget.attrs["autocomplete"] = "email"
        else:
            del self.fields["receipt_email"]

    def clean(self):
        data = super().clean()
        if (
            "receipt_email" in self.fields
            and data.get("payment_method") in RECEIPT_BY_EMAIL
            and not data.get("receipt_email")
            and "receipt_email" not in self.errors
        ):
            self.add_error("receipt_email", RECEIPT_EMAIL_REQUIRED)
        # The page shown again carries the total it shows now, so the next confirm is checked against that.
        self.data = self.data.copy()
        self.data[self.add_prefix("expected_total")] = str(self.total)
        return data


class OrderAccountForm(forms.Form):
    """After a guest's order: one password makes the order into an account, with the consent to record."""

    password = forms.CharField(
        label="Пароль",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "placeholder": "Не короче 8 символов"}),
        error_messages={"required": REQUIRED},
    )
    # The checkout asks for no consent: an account is a new purpose, agreed to here, as at signup.
    consent = SignupForm.base_fields["consent"]

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.login_taken = False

    def clean(self):
        data = super().clean()
        try:
            user = order_account_user(self.order)
        except OrderAccountNoLogin as error:
            raise forms.ValidationError(error.message) from None
        taken = login_taken(email=user.email, phone=user.phone)
        if taken:
            self.login_taken = True
            raise forms.ValidationError(taken)
        if data.get("password"):
            try:
                password_validation.validate_password(data["password"], user=user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


RETURN_REASON_REQUIRED = "Напишите, почему возвращаете товар"


class ReturnForm(forms.Form):
    """«Вернуть товар»: how many units of each line come back, and why; what was typed stays on an error."""

    reason = forms.CharField(
        label="Причина возврата",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": RETURN_REASON_REQUIRED},
    )

    def __init__(self, *args, order, left: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.order_lines = [line for line in order.lines.all() if line.pk in left]
        for line in self.order_lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=f"{line.name} (куплено {line.quantity} шт.)",
                min_value=0,
                max_value=left[line.pk],
                initial=0,
                required=False,
                error_messages={
                    "max_value": f"Вернуть можно не больше {left[line.pk]} шт.",
                    "min_value": "Укажите число от 0",
                    "invalid": "Укажите целое число",
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.order_fields = [f"line_{line.pk}" for line in self.order_lines]
        self.fields["reason"] = self.fields.pop("reason")

    def line_fields(self):
        return [self[name] for name in self.order_fields]

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.order_lines}
