"""SMS.ru over HTTP (https://sms.ru/api): `sms/send` and `sms/status` with `json=1`.

Every call is bounded by SMS_TIMEOUT. A call that could not connect is tried once more at once (the gateway
never saw it); a send the gateway may have received (no answer in time, a broken answer) is never repeated,
so nobody gets a message twice. Failures the gateway calls temporary are retried later by the Celery task.
"""

import json

import urllib3
from django.conf import settings
from urllib3.exceptions import ConnectTimeoutError, HTTPError, MaxRetryError, NewConnectionError
from urllib3.util import Retry, Timeout

from accounts.models import SmsStatus
from accounts.sms import DeliveryReport, SmsError

# status_code values of SMS.ru: 220 «Сервис временно недоступен», 500 «Ошибка на сервере. Повторите запрос».
TEMPORARY = {220, 500}
# Delivery codes of sms/status: 100–102 on the way, 103 delivered, 110 read (Viber), 104–108 and 150 lost.
DELIVERY = {
    100: SmsStatus.SENT,
    101: SmsStatus.SENT,
    102: SmsStatus.SENT,
    103: SmsStatus.DELIVERED,
    110: SmsStatus.DELIVERED,
    104: SmsStatus.UNDELIVERED,
    105: SmsStatus.UNDELIVERED,
    106: SmsStatus.UNDELIVERED,
    107: SmsStatus.UNDELIVERED,
    108: SmsStatus.UNDELIVERED,
    150: SmsStatus.UNDELIVERED,
}
# A proxy in front of the gateway that could not reach it: the request went no further.
UNREACHED = {502, 503}


def _describe(answer: dict) -> str:
    return f"{answer.get('status_code', '?')} {answer.get('status_text', answer.get('status', ''))}".strip()


class SmsRuBackend:
    """Send through SMS.ru with the account's api_id (SMS_RU_API_ID) and read delivery back."""

    def send(self, *, phone: str, text: str) -> str:
        """Send one message; return SMS.ru's sms_id."""
        to = phone.lstrip("+")
        answer = self._call("sms/send", {"to": to, "msg": text})
        result = (answer.get("sms") or {}).get(to)
        if answer.get("status") != "OK" or not isinstance(result, dict):
            raise SmsError(f"SMS.ru refused: {_describe(answer)}", retryable=answer.get("status_code") in TEMPORARY)
        if result.get("status") != "OK" or not result.get("sms_id"):
            raise SmsError(f"SMS.ru refused: {_describe(result)}", retryable=result.get("status_code") in TEMPORARY)
        return str(result["sms_id"])

    def status(self, *, provider_id: str) -> DeliveryReport:
        """Read one message's delivery status."""
        answer = self._call("sms/status", {"sms_id": provider_id})
        result = (answer.get("sms") or {}).get(provider_id)
        if answer.get("status") != "OK" or not isinstance(result, dict):
            raise SmsError(f"SMS.ru status refused: {_describe(answer)}", retryable=True)
        return DeliveryReport(status=DELIVERY.get(result.get("status_code"), ""), detail=_describe(result))

    def _call(self, method: str, fields: dict) -> dict:
        """POST to one API method; any failure is an SmsError, retryable only when the gateway never got it."""
        url = f"{settings.SMS_RU_URL.rstrip('/')}/{method}"
        # Only a connection that was never made is repeated; reads, statuses and redirects never are.
        retries = Retry(total=None, connect=1, read=0, status=0, other=0, redirect=0, raise_on_status=False)
        timeout = Timeout(total=float(settings.SMS_TIMEOUT))
        with urllib3.PoolManager(retries=retries, timeout=timeout) as pool:
            try:
                fields = {"api_id": settings.SMS_RU_API_ID, "json": "1", **fields}
                response = pool.request("POST", url, fields=fields, encode_multipart=False)
            except MaxRetryError as error:
                unreached = isinstance(error.reason, NewConnectionError | ConnectTimeoutError)
                raise SmsError(f"SMS.ru unreachable: {error.reason}", retryable=unreached) from error
            except HTTPError as error:
                raise SmsError(f"SMS.ru gave no answer: {error}", retryable=False) from error
        if response.status != 200:
            raise SmsError(f"SMS.ru answered HTTP {response.status}", retryable=response.status in UNREACHED)
        try:
            answer = json.loads(response.data)
        except ValueError as error:
            raise SmsError("SMS.ru answered something that is not JSON", retryable=False) from error
        if not isinstance(answer, dict):
            raise SmsError("SMS.ru answered something that is not a JSON object", retryable=False)
        return answer
