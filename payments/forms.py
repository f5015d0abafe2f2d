from django import forms

from payments.providers.sandbox import card_outcome

CARD_INVALID = "Введите номер карты из 16 цифр"
CARD_UNKNOWN = "В песочнице работают только тестовые карты: 4111 1111 1111 1111 и 4000 0000 0000 0002"
EXPIRY_INVALID = "Укажите срок действия в виде ММ/ГГ"
CVC_INVALID = "Введите три цифры с обратной стороны карты"


class SandboxCardForm(forms.Form):
    number = forms.CharField(label="Номер карты", max_length=23)
    expiry = forms.CharField(label="Срок действия", max_length=5, help_text="ММ/ГГ")
    cvc = forms.CharField(label="CVC", max_length=3, widget=forms.PasswordInput(render_value=True))

    def clean_number(self):
        digits = "".join(ch for ch in self.cleaned_data["number"] if ch.isdigit())
        if len(digits) != 16:
            raise forms.ValidationError(CARD_INVALID)
        if card_outcome(digits) is None:
            raise forms.ValidationError(CARD_UNKNOWN)
        return digits

    def clean_expiry(self):
        value = self.cleaned_data["expiry"].strip()
        month, _, year = value.partition("/")
        if not (month.isdigit() and year.isdigit() and len(year) == 2 and 1 <= int(month) <= 12):
            raise forms.ValidationError(EXPIRY_INVALID)
        return value

    def clean_cvc(self):
        value = self.cleaned_data["cvc"].strip()
        if not (value.isdigit() and len(value) == 3):
            raise forms.ValidationError(CVC_INVALID)
        return value
