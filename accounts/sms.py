"""Text messages: a backend chosen by the SMS_BACKEND setting, the console one by default."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Write each message to the log instead of sending it."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend:
    """Keep messages in `outbox` for tests."""

    outbox: list[dict] = []

    def send(self, *, phone: str, text: str) -> None:
        LocmemSmsBackend.outbox.append({"phone": phone, "text": text})


def send_sms(*, phone: str, text: str) -> None:
    """Send one text message through the configured backend."""
    backend = import_string(settings.SMS_BACKEND)()
    backend.send(phone=phone, text=text)
