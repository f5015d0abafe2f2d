"""Production starts with Telegram only when the bot is complete: token, username and webhook secret."""

import pytest

from shop.tests.test_production_settings_providers import BASE, YOOKASSA, run_settings

TELEGRAM = {"TELEGRAM_BOT_TOKEN": "123456:live", "TELEGRAM_BOT_USERNAME": "", "TELEGRAM_WEBHOOK_SECRET": ""}


@pytest.mark.parametrize(
    "env", [{"TELEGRAM_BOT_USERNAME": "ohrana_plus_bot"}, {"TELEGRAM_WEBHOOK_SECRET": "s3cret"}, {}]
)
def test_production_refuses_a_bot_without_its_username_or_webhook_secret(env):
    out = run_settings({**BASE, **YOOKASSA, **TELEGRAM, **env}, "print(settings.TELEGRAM_BOT_TOKEN)")

    assert "ImproperlyConfigured: With TELEGRAM_BOT_TOKEN set TELEGRAM_BOT_USERNAME and TELEGRAM_WEBHOOK_SECRET" in out


def test_production_starts_with_a_complete_bot_or_none():
    complete = {**TELEGRAM, "TELEGRAM_BOT_USERNAME": "ohrana_plus_bot", "TELEGRAM_WEBHOOK_SECRET": "s3cret"}

    assert run_settings({**BASE, **YOOKASSA, **complete}, "print(settings.TELEGRAM_BOT_TOKEN)") == "123456:live"
    assert (
        run_settings({**BASE, **YOOKASSA, "TELEGRAM_BOT_TOKEN": ""}, "print(repr(settings.TELEGRAM_BOT_TOKEN))") == "''"
    )
