"""Text messages: a backend chosen by the SMS_BACKEND setting, the console one by default.

`send_sms` records the message (login codes masked) and hands it to a Celery task after commit, so the page
that asked never waits for the gateway nor fails with it. A backend has `send(*, phone, text) -> str`, which
returns the gateway's id of the message and raises SmsError when the gateway did not take it; a gateway that
reports delivery also has `status(*, provider_id) -> DeliveryReport`.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import SmsMessage, SmsStatus

logger = logging.getLogger(__name__)

# A code after «код …:», as the adapter writes it («Код подтверждения Охрана Плюс: ABC-123.»).
CODE_IN_TEXT = re.compile(r"(?i)(\bкод\b[^:\n]{0,60}:\s*)([A-Z0-9][A-Z0-9-]{2,15})")
MASK = "•"
# How long after sending a message's delivery is still read back from the gateway.
STATUS_WINDOW = timedelta(days=1)


class SmsError(Exception):
    """The gateway did not take the message; `retryable` when it surely did not send it and may later."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class DeliveryReport:
    status: str  # an SmsStatus, or "" when the gateway does not know the message (yet)
    detail: str  # the gateway's own words, stored for staff


class ConsoleSmsBackend:
    """Write each message to the log instead of sending it."""

    def send(self, *, phone: str, text: str) -> str:
        logger.info("SMS to %s: %s", phone, text)
        return ""


class LocmemSmsBackend:
    """Keep messages in `outbox` for tests."""

    outbox: list[dict] = []

    def send(self, *, phone: str, text: str) -> str:
        LocmemSmsBackend.outbox.append({"phone": phone, "text": text})
        return ""


def sms_backend():
    """An instance of the backend SMS_BACKEND names."""
    return import_string(settings.SMS_BACKEND)()


def mask_codes(text: str, secret: str = "") -> str:
    """Hide a login or confirmation code: `secret` wherever it stands, and any code written after «код …:»."""
    if secret:
        text = text.replace(secret, MASK * len(secret))
    return CODE_IN_TEXT.sub(lambda match: match[1] + MASK * len(match[2]), text)


def send_sms(*, phone: str, text: str, secret: str = "") -> SmsMessage:
    """Record one text message and send it through a Celery task once the transaction commits."""
    message = SmsMessage.objects.create(phone=phone, text=mask_codes(text, secret), backend=settings.SMS_BACKEND)
    transaction.on_commit(lambda: _enqueue(message_id=message.pk, text=text))
    return message


def _enqueue(*, message_id: int, text: str) -> None:
    from accounts.tasks import sms_send_task

    try:
        sms_send_task.delay(message_id=message_id, text=text)
    except Exception:
        # Neither a broker that is away nor, without a broker, the task itself may turn the page that asked for
        # a code into an error page: the row keeps its state for staff, and the visitor may ask again.
        logger.exception("SMS %s not handed to Celery", message_id)


def sms_deliver(*, message_id: int, text: str) -> SmsMessage:
    """Send a recorded message through the backend once; raise SmsError (recorded on the row) when it fails."""
    message = SmsMessage.objects.get(pk=message_id)
    if message.status != SmsStatus.QUEUED:
        return message  # sent or given up by an earlier run: a re-run never sends twice
    message.attempts += 1
    try:
        provider_id = sms_backend().send(phone=message.phone, text=text)
    except SmsError as error:
        message.error = str(error)
        if not error.retryable:
            message.status = SmsStatus.FAILED
        message.save(update_fields=["attempts", "error", "status"])
        logger.warning("SMS %s to %s not sent (attempt %s): %s", message.pk, message.phone, message.attempts, error)
        raise
    message.status = SmsStatus.SENT
    message.provider_id = provider_id or ""
    message.sent_at = timezone.now()
    message.save(update_fields=["attempts", "status", "provider_id", "sent_at"])
    return message


def sms_give_up(*, message_id: int) -> None:
    """Mark a message that still failed after every retry."""
    SmsMessage.objects.filter(pk=message_id, status=SmsStatus.QUEUED).update(status=SmsStatus.FAILED)


def sms_check_status(*, message: SmsMessage) -> SmsMessage:
    """Read one sent message's delivery status back from its gateway and record it."""
    backend = import_string(message.backend)()
    try:
        report = backend.status(provider_id=message.provider_id)
    except SmsError as error:
        logger.warning("Status of SMS %s not read: %s", message.pk, error)
        return message
    if report.status:
        message.status = report.status
    message.provider_status = report.detail[:300]
    message.status_checked_at = timezone.now()
    message.save(update_fields=["status", "provider_status", "status_checked_at"])
    return message


def sms_check_statuses(*, limit: int = 200) -> int:
    """Read back the delivery of messages sent in the last day whose gateway reports it; return how many."""
    pending = SmsMessage.objects.filter(status=SmsStatus.SENT, created_at__gte=timezone.now() - STATUS_WINDOW).exclude(
        provider_id=""
    )
    checked = 0
    for message in pending.order_by(F("status_checked_at").asc(nulls_first=True), "pk")[:limit]:
        try:
            reports = hasattr(import_string(message.backend), "status")
        except ImportError:
            reports = False
        if reports:
            sms_check_status(message=message)
            checked += 1
    return checked
