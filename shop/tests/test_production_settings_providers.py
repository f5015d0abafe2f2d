"""Production starts only with real providers: a payment provider (or a staging sandbox) and an SMS gateway."""

import pytest

from shop.tests.test_infrastructure import PRODUCTION
from shop.tests.test_infrastructure import run_settings as run_with

PROVIDERS = {"PAYMENT_SANDBOX_ALLOWED", "YOOKASSA_SHOP_ID", "YOOKASSA_SECRET_KEY", "SMS_BACKEND", "SMS_RU_API_ID"}
BASE = {k: v for k, v in PRODUCTION.items() if k not in PROVIDERS} | {"SMS_BACKEND": "bench.sms.DiscardSmsBackend"}
YOOKASSA = {"YOOKASSA_SHOP_ID": "123456", "YOOKASSA_SECRET_KEY": "live_secret"}
NO_PROVIDERS = dict.fromkeys(PROVIDERS - {"SMS_BACKEND"}, "")


def run_settings(env: dict, code: str) -> str:
    """Production settings in a fresh interpreter; provider variables of the outer environment are blanked."""
    return run_with({**NO_PROVIDERS, **env}, code)


@pytest.mark.parametrize("env", [{}, {"PAYMENT_SANDBOX_ALLOWED": "false"}, {"YOOKASSA_SHOP_ID": "123456"}])
def test_production_refuses_to_start_without_a_payment_provider(env):
    out = run_settings({**BASE, **env}, "print(settings.PAYMENT_SANDBOX_ALLOWED)")
    assert "ImproperlyConfigured: Set YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY, or PAYMENT_SANDBOX_ALLOWED=true" in out


@pytest.mark.parametrize(("env", "sandbox"), [(YOOKASSA, "False"), ({"PAYMENT_SANDBOX_ALLOWED": "true"}, "True")])
def test_production_starts_with_yookassa_or_an_allowed_sandbox(env, sandbox):
    out = run_settings({**BASE, **env}, "print(settings.PAYMENT_SANDBOX_ALLOWED)")
    assert out == sandbox


def test_production_starts_with_sms_ru_and_its_api_id():
    env = {**BASE, **YOOKASSA, "SMS_BACKEND": "accounts.sms_gateways.smsru.SmsRuBackend"}
    out = run_settings({**env, "SMS_RU_API_ID": "0A1B2C3D"}, "print(settings.SMS_BACKEND, settings.SMS_TIMEOUT)")
    assert out == "accounts.sms_gateways.smsru.SmsRuBackend 5.0"
    out = run_settings(env, "print(settings.SMS_BACKEND)")
    assert "ImproperlyConfigured: Set SMS_RU_API_ID" in out


@pytest.mark.parametrize("module", ["shop.settings.local", "shop.settings.test"])
def test_the_sandbox_is_allowed_in_development_and_tests(module):
    out = run_with({"DJANGO_SETTINGS_MODULE": module}, "print(settings.PAYMENT_SANDBOX_ALLOWED)")
    assert out.splitlines()[-1] == "True"
