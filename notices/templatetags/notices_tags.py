from django import template

from notices.forms import NoticeSettingsForm
from notices.selectors import notice_settings_for
from notices.telegram import telegram_configured

register = template.Library()


@register.inclusion_tag("notices/partials/_settings.html", takes_context=True)
def notice_settings(context, form=None):
    """The profile's «Уведомления» section: the choices, and Telegram linked or a button to link it."""
    request = context["request"]
    prefs = form.prefs if form is not None else notice_settings_for(user=request.user)
    return {
        "form": form or NoticeSettingsForm(prefs=prefs),
        "prefs": prefs,
        "telegram": telegram_configured(),
        "csrf_token": context.get("csrf_token"),
    }
