"""The Telegram Bot API over HTTP (https://core.telegram.org/bots/api): `sendMessage` only.

Every call is bounded by TELEGRAM_TIMEOUT. A connection that was never made is tried once more at once; a
message Telegram may have received (no answer in time) is never repeated. The bot's token stands in the
address, so no error message here ever carries the address.
"""

import json

import urllib3
from django.conf import settings
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError
from urllib3.util import Timeout

# The chat is gone for the bot: blocked (403), deleted or never started (400 «chat not found»).
GONE = {400, 403}


class TelegramError(Exception):
    """Telegram did not take the message; `gone` when the chat will not take any from the bot."""

    def __init__(self, message: str, *, gone: bool = False):
        super().__init__(message)
        self.gone = gone


def telegram_configured() -> bool:
    """Whether the shop has a bot: without a token Telegram is neither offered nor used."""
    return bool(settings.TELEGRAM_BOT_TOKEN)


def telegram_deep_link(token: str) -> str:
    """The link that opens the bot with a start parameter."""
    return f"https://t.me/{settings.TELEGRAM_BOT_USERNAME}?start={token}"


def telegram_send(*, chat_id: str, text: str) -> str:
    """Send a plain-text message to a chat; return Telegram's message_id."""
    answer = _call("sendMessage", {"chat_id": chat_id, "text": text, "link_preview_options": {"is_disabled": True}})
    result = answer.get("result")
    if not isinstance(result, dict) or "message_id" not in result:
        raise TelegramError("Telegram answered without a message_id")
    return str(result["message_id"])


def _call(method: str, payload: dict) -> dict:
    url = f"{settings.TELEGRAM_API_URL.rstrip('/')}/bot{settings.TELEGRAM_BOT_TOKEN}/{method}"
    body = json.dumps(payload).encode()
    timeout = Timeout(total=float(settings.TELEGRAM_TIMEOUT))
    # urllib3's own retries would log the address, token and all; a connection never made is retried here.
    with urllib3.PoolManager(retries=False, timeout=timeout) as pool:
        for attempt in (1, 2):
            try:
                response = pool.request("POST", url, body=body, headers={"Content-Type": "application/json"})
                break
            except (NewConnectionError, ConnectTimeoutError):
                if attempt == 2:
                    raise TelegramError("Telegram unreachable") from None
            except HTTPError:
                raise TelegramError("Telegram gave no answer") from None
    try:
        answer = json.loads(response.data)
    except ValueError:
        raise TelegramError(f"Telegram answered HTTP {response.status}, not JSON") from None
    if not isinstance(answer, dict):
        raise TelegramError(f"Telegram answered HTTP {response.status}, not a JSON object")
    if response.status != 200 or not answer.get("ok"):
        code = answer.get("error_code", response.status)
        description = str(answer.get("description", ""))[:200]
        raise TelegramError(f"Telegram {code}: {description}".strip(), gone=code in GONE)
    return answer
