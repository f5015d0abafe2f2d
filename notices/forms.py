from django import forms

from notices.exceptions import SMS_NEEDS_PHONE, TELEGRAM_NOT_LINKED
from notices.models import Channel, NoticeSettings
from notices.telegram import telegram_configured


class NoticeSettingsForm(forms.Form):
    """How to tell the customer about orders and about service visits."""

    orders = forms.ChoiceField(label="О заказах", widget=forms.RadioSelect)
    service = forms.ChoiceField(label="О ремонте, монтаже и визитах мастера", widget=forms.RadioSelect)

    def __init__(self, *args, prefs: NoticeSettings, **kwargs):
        kwargs.setdefault("initial", {"orders": prefs.orders, "service": prefs.service})
        super().__init__(*args, **kwargs)
        self.prefs = prefs
        choices = [(Channel.EMAIL, "Email"), (Channel.SMS, "SMS")]
        if telegram_configured():
            choices.insert(1, (Channel.TELEGRAM, "Telegram"))
        for field in ("orders", "service"):
            self.fields[field].choices = choices
            self.fields[field].error_messages["invalid_choice"] = "Выберите email, Telegram или SMS."
            self.fields[field].error_messages["required"] = "Выберите, как сообщать."

    def clean(self):
        data = super().clean()
        for field in ("orders", "service"):
            if data.get(field) == Channel.TELEGRAM and not self.prefs.telegram_chat_id:
                self.add_error(field, TELEGRAM_NOT_LINKED)
            if data.get(field) == Channel.SMS and not self.prefs.user.phone:
                self.add_error(field, SMS_NEEDS_PHONE)
        return data
