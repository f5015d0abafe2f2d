import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.sms import LocmemSmsBackend
from notices.tests.telegram_fakes import telegram  # noqa: F401
from orders.tests.conftest import moscow_delivery, stocked_product  # noqa: F401
from service.tests.conftest import moscow_service  # noqa: F401

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SHOP_DOMAIN = "shop.example.ru"
    settings.SHOP_URL_SCHEME = "https"
    settings.TELEGRAM_BOT_TOKEN = ""
    settings.TELEGRAM_STAFF_CHAT_ID = ""


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    return LocmemSmsBackend.outbox


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock: `clock.set(hour, minute)` puts every timezone.now() at that Moscow time on 8 Dec 2026."""

    class Clock:
        now = datetime.datetime(2026, 12, 8, 12, 0, tzinfo=MOSCOW)

        def set(self, hour: int, minute: int = 0, day: int = 8):
            self.now = datetime.datetime(2026, 12, day, hour, minute, tzinfo=MOSCOW)
            return self.now

    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock.now)
    return clock
