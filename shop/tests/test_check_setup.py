"""`manage.py check_setup` lists in one place what production lacks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

READY = {
    "YOOKASSA_SHOP_ID": "123456",
    "YOOKASSA_SECRET_KEY": "live_secret",
    "PAYMENT_SANDBOX_ALLOWED": False,
    "SMS_BACKEND": "accounts.sms_gateways.smsru.SmsRuBackend",
    "SMS_RU_API_ID": "0A1B2C3D",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CELERY_TASK_ALWAYS_EAGER": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 2592000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SHOP_DOMAIN": "ohrana-plus.ru",
}


def check_setup() -> tuple[str, bool]:
    out = StringIO()
    try:
        call_command("check_setup", stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), False
    return out.getvalue(), True


@pytest.fixture
def ready(settings):
    for name, value in READY.items():
        setattr(settings, name, value)
    return settings


def test_a_development_set_up_lists_everything_production_lacks_and_fails(settings):
    settings.SMS_BACKEND = "accounts.sms.ConsoleSmsBackend"
    settings.CELERY_BROKER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    out, passed = check_setup()

    assert not passed
    missing = [line.split(":")[0].removeprefix("[missing] ") for line in out.splitlines() if "[missing]" in line]
    assert missing == ["payments", "sms", "mail", "broker", "https", "domain"]
    assert "only the sandbox (PAYMENT_SANDBOX_ALLOWED=true)" in out
    assert "[missing] sms: accounts.sms.ConsoleSmsBackend sends nothing" in out
    assert "[missing] mail: locmem backend sends nothing" in out
    assert "off: SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE" in out
    assert out.endswith("6 of 8 missing for production.")


def test_a_production_set_up_passes_and_names_the_periodic_tasks(ready):
    out, passed = check_setup()

    assert passed, out
    assert "[missing]" not in out
    assert "payments-reconcile (payments.reconcile)" in out
    assert out.endswith("Nothing missing for production.\n")


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({"YOOKASSA_SHOP_ID": ""}, "[missing] payments: no provider"),
        ({"PAYMENT_SANDBOX_ALLOWED": True}, "[missing] payments: YooKassa is set, but PAYMENT_SANDBOX_ALLOWED=true"),
        ({"SMS_RU_API_ID": ""}, "[missing] sms: SMS.ru without SMS_RU_API_ID"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "[missing] mail: console backend"),
        ({"CELERY_TASK_ALWAYS_EAGER": True}, "[missing] broker: no Celery broker"),
        (
            {"CELERY_BEAT_SCHEDULE": {"x": {"task": "nowhere.task", "schedule": 60}}},
            "[missing] beat: the schedule names",
        ),
        ({"MEDIA_ROOT": "/nonexistent/media"}, "[missing] storage: no bucket and no writable folder MEDIA_ROOT="),
        (
            {"AWS_STORAGE_BUCKET_NAME": "shop-media", "MEDIA_ROOT": "/nonexistent"},
            "[ok]      storage: bucket shop-media",
        ),
        ({"SECURE_HSTS_SECONDS": 0}, "[missing] https: off: SECURE_HSTS_SECONDS"),
        ({"SHOP_DOMAIN": "localhost:8000"}, "[missing] domain: SHOP_DOMAIN=localhost:8000"),
    ],
)
def test_each_lack_is_named(ready, changes, line):
    for name, value in changes.items():
        setattr(ready, name, value)

    out, _ = check_setup()

    assert line in out
