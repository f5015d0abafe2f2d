"""The one place that decides how a person is told and tells them: email, Telegram or SMS.

A caller (a Celery task of orders, service or lists, running after its commit) renders the message and calls
`notice_send`. A notice is a row keyed by (event key, channel, recipient): a task that runs again finds the
row and sends nothing twice. Delivery is a Celery task after commit; SMS and Telegram wait out the quiet hours
(22:00–09:00 Moscow time) unless the notice is urgent; Telegram that fails falls back to SMS.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.sms import send_sms
from core.jobs import enqueue_after_commit
from notices.exceptions import TelegramLinkInvalid
from notices.models import Channel, Notice, NoticeSettings, NoticeStatus, TelegramLinkToken
from notices.telegram import TelegramError, telegram_configured, telegram_send

logger = logging.getLogger(__name__)

ASCII_SPACES = re.compile(r"[ \t\r\n]+")
MOSCOW = ZoneInfo("Europe/Moscow")
QUIET_FROM = time(22, 0)
QUIET_UNTIL = time(9, 0)
TELEGRAM_LINK_TTL = timedelta(minutes=15)
# A queued notice that is due and this old was not handed to a worker (a broker outage): the sweep sends it.
LOST_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Recipient:
    """Whom to tell: the account (its choices), and the addresses the order or request gives."""

    user_id: int | None = None
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Message:
    """A notice's words: `text` for SMS and Telegram (short, with the link), the email's subject and bodies."""

    text: str
    subject: str = ""
    email_text: str = ""
    email_html: str = ""


def notice_text(*, event: str, context: dict) -> str:
    """The short text of an event from `templates/notices/<event>.txt`."""
    # Only the template's own line breaks and spaces: the no-break spaces of «12 990 ₽» stay.
    return ASCII_SPACES.sub(" ", render_to_string(f"notices/{event}.txt", context)).strip()


def quiet_until(at: datetime) -> datetime | None:
    """The end of the quiet hours `at` falls in (09:00 Moscow time), or None outside them."""
    local = at.astimezone(MOSCOW)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() + timedelta(days=1) if local.time() >= QUIET_FROM else local.date()
    return datetime.combine(day, QUIET_UNTIL, tzinfo=MOSCOW)


def _usable_email(email: str) -> str:
    return "" if not email or email.endswith(".invalid") else email


def notice_channel(*, kind: str, recipient: Recipient, prefs: NoticeSettings | None) -> tuple[str, str]:
    """The channel and address to use: the customer's choice where it can be served, else email, else SMS."""
    chosen = prefs.channel_for(kind) if prefs is not None else Channel.EMAIL
    if chosen == Channel.TELEGRAM and prefs.telegram_chat_id and telegram_configured():
        return Channel.TELEGRAM, str(prefs.telegram_chat_id)
    if chosen == Channel.SMS and recipient.phone:
        return Channel.SMS, recipient.phone
    if _usable_email(recipient.email):
        return Channel.EMAIL, recipient.email
    if recipient.phone:
        return Channel.SMS, recipient.phone
    return "", ""


def notice_send(
    *, key: str, event: str, kind: str, recipient: Recipient, message: Message, target=None, urgent: bool = False
) -> Notice | None:
    """Record the notice on the recipient's channel and deliver it after commit; a key already recorded is kept."""
    existing = Notice.objects.filter(key=key).order_by("pk").first()
    if existing is not None:
        # A re-run: the event was told (or is being told) already, even if the customer chose another channel since.
        _enqueue_if_due(existing)
        return existing
    prefs = NoticeSettings.objects.filter(user_id=recipient.user_id).first() if recipient.user_id else None
    channel, address = notice_channel(kind=kind, recipient=recipient, prefs=prefs)
    if not channel:
        return None
    return _record(
        key=key,
        event=event,
        channel=channel,
        address=address,
        user_id=recipient.user_id,
        message=message,
        target=target,
        urgent=urgent,
        fallback=recipient if channel == Channel.TELEGRAM else None,
    )


def staff_notice_send(*, key: str, event: str, text: str, target=None) -> Notice | None:
    """Tell the shop's Telegram chat (TELEGRAM_STAFF_CHAT_ID), day and night; nothing when none is configured."""
    chat = str(settings.TELEGRAM_STAFF_CHAT_ID or "")
    if not chat or not telegram_configured():
        return None
    return _record(
        key=key,
        event=event,
        channel=Channel.TELEGRAM,
        address=chat,
        user_id=None,
        message=Message(text=text),
        target=target,
        urgent=True,
    )


def _record(*, key, event, channel, address, user_id, message, target, urgent, fallback=None) -> Notice:
    quiet = None if urgent or channel == Channel.EMAIL else quiet_until(timezone.now())
    # A Telegram notice keeps what its fallback needs: the phone for SMS, else the email and its letter.
    fallback_phone = fallback.phone if fallback else ""
    fallback_email = _usable_email(fallback.email) if fallback and not fallback_phone else ""
    defaults = {
        "event": event,
        "user_id": user_id,
        "subject": message.subject[:200],
        "text": (message.email_text or message.text) if channel == Channel.EMAIL else message.text,
        "html": message.email_html if channel == Channel.EMAIL or fallback_email else "",
        "urgent": urgent,
        "not_before": quiet,
        "fallback_phone": fallback_phone,
        "fallback_email": fallback_email,
        "fallback_text": (message.email_text or message.text) if fallback_email else "",
    }
    if target is not None:
        defaults["content_type"] = ContentType.objects.get_for_model(target)
        defaults["object_id"] = target.pk
    try:
        with transaction.atomic():
            notice, _ = Notice.objects.get_or_create(key=key, channel=channel, recipient=address, defaults=defaults)
    except IntegrityError:
        # Another run recorded it between the read and the write.
        notice = Notice.objects.get(key=key, channel=channel, recipient=address)
    _enqueue_if_due(notice)
    return notice


def _enqueue_if_due(notice: Notice) -> None:
    if notice.status == NoticeStatus.QUEUED and (notice.not_before is None or notice.not_before <= timezone.now()):
        enqueue_after_commit("notices.deliver", notice_id=notice.pk)


def notice_deliver(*, notice_id: int) -> Notice:
    """Send one queued notice that is due, once: a conditional UPDATE claims it, so two runs never both send."""
    now = timezone.now()
    due = Q(not_before__isnull=True) | Q(not_before__lte=now)
    claimed = (
        Notice.objects.filter(due, pk=notice_id, status=NoticeStatus.QUEUED)
        .exclude(recipient="")
        .update(status=NoticeStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    )
    notice = Notice.objects.get(pk=notice_id)
    if not claimed:
        return notice
    try:
        if notice.channel == Channel.EMAIL:
            _email(notice)
        elif notice.channel == Channel.TELEGRAM:
            notice.provider_id = telegram_send(chat_id=notice.recipient, text=notice.text)
        else:
            notice.sms = send_sms(phone=notice.recipient, text=notice.text)
    except TelegramError as error:
        _failed(notice, str(error))
        if error.gone and notice.user_id:
            # Blocked or deleted: the account stops choosing a chat that takes nothing.
            NoticeSettings.objects.filter(user_id=notice.user_id, telegram_chat_id=notice.recipient).update(
                telegram_chat_id=None, telegram_linked_at=None, updated_at=now
            )
        _fall_back(notice)
        return notice
    except OSError as error:
        # The mail server did not answer: queued again for the task's retry.
        notice.status, notice.error = NoticeStatus.QUEUED, str(error)[:300]
        notice.save(update_fields=["status", "error", "updated_at"])
        raise
    notice.status, notice.sent_at, notice.error = NoticeStatus.SENT, timezone.now(), ""
    notice.save(update_fields=["status", "sent_at", "error", "provider_id", "sms", "updated_at"])
    return notice


def _email(notice: Notice) -> None:
    message = EmailMultiAlternatives(subject=notice.subject, body=notice.text, to=[notice.recipient])
    if notice.html:
        message.attach_alternative(notice.html, "text/html")
    message.send()


def _failed(notice: Notice, error: str) -> None:
    notice.status, notice.error = NoticeStatus.FAILED, error[:300]
    notice.save(update_fields=["status", "error", "updated_at"])
    logger.warning("Notice %s (%s) not sent: %s", notice.pk, notice.channel, error)


def _fall_back(notice: Notice) -> Notice | None:
    """The same notice by SMS, or by email where the customer has no phone."""
    if notice.fallback_phone:
        channel, address = Channel.SMS, notice.fallback_phone
        message = Message(text=notice.text)
    elif notice.fallback_email:
        channel, address = Channel.EMAIL, notice.fallback_email
        message = Message(
            text=notice.text, subject=notice.subject, email_text=notice.fallback_text, email_html=notice.html
        )
    else:
        return None
    return _record(
        key=notice.key,
        event=notice.event,
        channel=channel,
        address=address,
        user_id=notice.user_id,
        message=message,
        target=notice.target if notice.content_type_id else None,
        urgent=notice.urgent,
    )


def notices_due() -> list[int]:
    """Queued notices whose quiet hours are over, or that were never handed to a worker."""
    now = timezone.now()
    waited = Q(not_before__isnull=False, not_before__lte=now)
    lost = Q(not_before__isnull=True, created_at__lte=now - LOST_AFTER)
    return list(
        Notice.objects.filter(waited | lost, status=NoticeStatus.QUEUED)
        .exclude(recipient="")
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


# The customer's choices and the Telegram binding.


def notice_settings_save(*, user, orders: str, service: str) -> NoticeSettings:
    """Keep the customer's channel for orders and for service visits."""
    prefs, _ = NoticeSettings.objects.update_or_create(user=user, defaults={"orders": orders, "service": service})
    return prefs


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def telegram_link_start(*, user) -> str:
    """A new one-time start token for the bot's deep link; the account's earlier unused ones end."""
    TelegramLinkToken.objects.filter(user=user, used_at__isnull=True).delete()
    token = secrets.token_urlsafe(24)
    TelegramLinkToken.objects.create(
        user=user, token_hash=_token_hash(token), expires_at=timezone.now() + TELEGRAM_LINK_TTL
    )
    return token


@transaction.atomic
def telegram_link_finish(*, token: str, chat_id: int) -> NoticeSettings:
    """Bind the chat to the account whose unexpired, unused token this is; the token is used up."""
    now = timezone.now()
    link = (
        TelegramLinkToken.objects.select_for_update()
        .filter(token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link is None:
        raise TelegramLinkInvalid
    link.used_at = now
    link.save(update_fields=["used_at"])
    prefs, _ = NoticeSettings.objects.update_or_create(
        user_id=link.user_id, defaults={"telegram_chat_id": chat_id, "telegram_linked_at": now}
    )
    return prefs


def telegram_unlink(*, user) -> None:
    """Forget the account's chat; its notices go by email (or SMS where chosen) again."""
    NoticeSettings.objects.filter(user=user).update(
        telegram_chat_id=None,
        telegram_linked_at=None,
        orders=_without_telegram("orders"),
        service=_without_telegram("service"),
        updated_at=timezone.now(),
    )


def _without_telegram(field: str):
    return Case(When(**{field: Channel.TELEGRAM}, then=Value(Channel.EMAIL)), default=F(field))


def notices_personal_data_erase(*, user) -> None:
    """Drop the account's Telegram binding and tokens, and the words and addresses of its notices."""
    from accounts.models import SmsMessage

    NoticeSettings.objects.filter(user=user).delete()
    TelegramLinkToken.objects.filter(user=user).delete()
    notices = Notice.objects.filter(user=user)
    SmsMessage.objects.filter(pk__in=notices.exclude(sms=None).values("sms_id")).delete()
    notices.update(
        recipient="",
        subject="",
        text="",
        html="",
        fallback_phone="",
        fallback_email="",
        fallback_text="",
        error="",
        updated_at=timezone.now(),
    )
