"""A local fake of the Telegram Bot API (pytest-httpserver) and its answers, for the tests of every app that tells."""

import pytest

TOKEN = "123456:TEST-token"
SEND = f"/bot{TOKEN}/sendMessage"
CHAT_ID = 555000111
STAFF_CHAT_ID = "-1001234567890"


def message_sent(chat_id: int | str = CHAT_ID, message_id: int = 42) -> dict:
    """Telegram's answer to sendMessage when it took the message."""
    return {
        "ok": True,
        "result": {"message_id": message_id, "date": 1765000000, "chat": {"id": int(chat_id), "type": "private"}},
    }


def blocked() -> dict:
    """Telegram's answer (HTTP 403) when the person blocked the bot."""
    return {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}


def too_many(retry_after: int = 5) -> dict:
    """Telegram's answer (HTTP 429) to a bot that sends too fast."""
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


@pytest.fixture
def telegram(settings, httpserver):
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    settings.TELEGRAM_BOT_USERNAME = "ohrana_plus_bot"
    settings.TELEGRAM_WEBHOOK_SECRET = "webhook-secret"
    settings.TELEGRAM_API_URL = httpserver.url_for("/")
    settings.TELEGRAM_TIMEOUT = 2
    return httpserver
