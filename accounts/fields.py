"""Form fields for Russian phone numbers, ИНН and КПП."""

from django import forms

from accounts.validators import normalize_inn, normalize_kpp, normalize_mobile_phone, normalize_phone


class RussianPhoneField(forms.CharField):
    """A Russian phone typed in any usual form, cleaned to E.164; `mobile` for numbers that get SMS codes."""

    def __init__(self, *, mobile: bool = False, **kwargs):
        self.mobile = mobile
        kwargs.setdefault("label", "Телефон")
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "placeholder": "+7 916 123-45-67"}),
        )
        kwargs.pop("validators", None)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return normalize_mobile_phone(value) if self.mobile else normalize_phone(value)


class InnField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "ИНН")
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalize_inn(value) if value else value


class KppField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "КПП")
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalize_kpp(value) if value else value
