"""The Bot API client: what Telegram answers becomes a message id or a TelegramError, never the token in a message."""

import json
import time

import pytest

from notices.telegram import TelegramError, telegram_send
from notices.tests.telegram_fakes import CHAT_ID, SEND, TOKEN, blocked, message_sent, too_many


def test_a_message_is_sent_as_plain_text_without_a_link_preview(telegram):
    telegram.expect_oneshot_request(SEND, method="POST").respond_with_json(message_sent(message_id=77))

    assert telegram_send(chat_id=str(CHAT_ID), text="Заказ 2026-000001 оплачен") == "77"

    [(request, _)] = telegram.log
    assert json.loads(request.data) == {
        "chat_id": str(CHAT_ID),
        "text": "Заказ 2026-000001 оплачен",
        "link_preview_options": {"is_disabled": True},
    }


@pytest.mark.parametrize(
    ("answer", "status", "message", "gone"),
    [
        (blocked(), 403, "Telegram 403: Forbidden: bot was blocked by the user", True),
        ({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}, 400, None, True),
        (too_many(), 429, "Telegram 429: Too Many Requests: retry after 5", False),
        ({"ok": False, "error_code": 502, "description": "Bad Gateway"}, 502, None, False),
    ],
)
def test_a_refusal_is_a_telegram_error(telegram, answer, status, message, gone):
    telegram.expect_oneshot_request(SEND, method="POST").respond_with_json(answer, status=status)

    with pytest.raises(TelegramError) as refused:
        telegram_send(chat_id=str(CHAT_ID), text="x")

    assert refused.value.gone is gone
    if message:
        assert str(refused.value) == message
    assert TOKEN not in str(refused.value)


def test_an_answer_that_is_not_json_is_a_telegram_error(telegram):
    telegram.expect_oneshot_request(SEND, method="POST").respond_with_data("<html>nginx</html>", status=502)

    with pytest.raises(TelegramError, match="Telegram answered HTTP 502, not JSON"):
        telegram_send(chat_id=str(CHAT_ID), text="x")


def test_a_silent_telegram_is_given_up_after_the_timeout(telegram, settings):
    settings.TELEGRAM_TIMEOUT = 0.3

    def slow(request):
        time.sleep(1)

    telegram.expect_oneshot_request(SEND, method="POST").respond_with_handler(slow)

    with pytest.raises(TelegramError, match="Telegram gave no answer"):
        telegram_send(chat_id=str(CHAT_ID), text="x")
    # A message Telegram may have received is never sent again.
    assert len(telegram.log) <= 1
