"""The customer's notice settings, the Telegram deep link, and the bot's webhook."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notices import services
from notices.exceptions import TELEGRAM_LINK_INVALID, TelegramLinkInvalid
from notices.forms import NoticeSettingsForm
from notices.selectors import notice_settings_for
from notices.telegram import telegram_configured, telegram_deep_link

TELEGRAM_LINKED = "Готово: уведомления «Охрана Плюс» будут приходить сюда. Выберите Telegram в профиле на сайте."
TELEGRAM_HELLO = (
    "Здравствуйте! Чтобы получать уведомления о заказах, откройте профиль на сайте и нажмите «Привязать Telegram»."
)


def _profile():
    return redirect(reverse("accounts:profile") + "#notices")


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    prefs = notice_settings_for(user=request.user)
    form = NoticeSettingsForm(request.POST or None, prefs=prefs)
    if request.method == "POST" and form.is_valid():
        services.notice_settings_save(
            user=request.user, orders=form.cleaned_data["orders"], service=form.cleaned_data["service"]
        )
        messages.success(request, "Настройки уведомлений сохранены.")
        return _profile()
    return render(
        request,
        "notices/settings_edit.html",
        {"form": form, "prefs": prefs, "telegram": telegram_configured()},
    )


@login_required
@require_POST
def telegram_link(request):
    """Start linking: a fresh one-time token, straight into the bot."""
    if not telegram_configured():
        raise Http404
    return redirect(telegram_deep_link(services.telegram_link_start(user=request.user)))


@login_required
@require_POST
def telegram_unlink(request):
    services.telegram_unlink(user=request.user)
    messages.success(request, "Telegram отвязан: уведомления снова приходят на email.")
    return _profile()


def _mapping(data, name: str) -> dict:
    """`data[name]` when both are JSON objects, else an empty one: an update of another shape is ignored."""
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


@csrf_exempt
@require_POST
def telegram_webhook(request):
    """Telegram's updates: `/start <token>` binds the chat to the account the token was made for."""
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    if not telegram_configured() or not secret:
        raise Http404
    if not constant_time_compare(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), secret):
        return HttpResponseForbidden()
    try:
        update = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    message = _mapping(update, "message")
    chat = _mapping(message, "chat")
    text = str(message.get("text", ""))
    # Only a person's own chat with the bot is bound; groups and channels are ignored.
    if chat.get("type") != "private" or not isinstance(chat.get("id"), int) or not text.startswith("/start"):
        return HttpResponse()
    token = text.removeprefix("/start").strip()
    if not token:
        reply = TELEGRAM_HELLO
    else:
        try:
            services.telegram_link_finish(token=token[:64], chat_id=chat["id"])
        except TelegramLinkInvalid:
            reply = TELEGRAM_LINK_INVALID
        else:
            reply = TELEGRAM_LINKED
    # The answer goes back in the webhook's own response, a method call Telegram makes for the bot.
    return JsonResponse({"method": "sendMessage", "chat_id": chat["id"], "text": reply})
