"""A local fake of SMS.ru's API (pytest-httpserver) and its answers, for the tests of every app that texts."""

import pytest

TO = "79161234567"
SMS_ID = "000000-10000001"


def sent(to: str = TO, sms_id: str = SMS_ID) -> dict:
    """SMS.ru's answer to sms/send when it took the message."""
    return {
        "status": "OK",
        "status_code": 100,
        "sms": {to: {"status": "OK", "status_code": 100, "sms_id": sms_id}},
        "balance": 4122.56,
    }


def refused(code: int, text: str, to: str = TO) -> dict:
    """SMS.ru's answer to sms/send when it refused the message for that number."""
    return {
        "status": "OK",
        "status_code": 100,
        "sms": {to: {"status": "ERROR", "status_code": code, "status_text": text}},
        "balance": 4122.56,
    }


def status_of(code: int, text: str, sms_id: str = SMS_ID) -> dict:
    """SMS.ru's answer to sms/status."""
    return {
        "status": "OK",
        "status_code": 100,
        "sms": {sms_id: {"status": "OK", "status_code": code, "status_text": text, "cost": "0.00", "sms": 1}},
        "balance": 4122.56,
    }


@pytest.fixture
def smsru(settings, httpserver):
    settings.SMS_BACKEND = "accounts.sms_gateways.smsru.SmsRuBackend"
    settings.SMS_RU_API_ID = "0A1B2C3D-TEST"
    settings.SMS_RU_URL = httpserver.url_for("/")
    settings.SMS_TIMEOUT = 2
    return httpserver
