"""The sandbox: the shop's own imitation of a hosted payment page, signing its callbacks like real providers.

A callback carries `X-Sandbox-Timestamp` and `X-Sandbox-Signature`, the HMAC-SHA256 of
"<timestamp>.<body>" under SANDBOX_PAYMENT_SECRET; one older than SANDBOX_CALLBACK_MAX_AGE is refused.
"""

import hashlib
import hmac
import json
import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

from payments.providers.base import CreatedPayment, Notification, NotificationRejected

NAME = "sandbox"
CARD_SUCCESS = "4111111111111111"
CARD_DECLINED = "4000000000000002"
DECLINED_REASON = "Банк отклонил платёж"
TIMESTAMP_HEADER = "X-Sandbox-Timestamp"
SIGNATURE_HEADER = "X-Sandbox-Signature"


def _clock() -> float:
    """Seconds since the epoch; tests freeze it."""
    return time.time()


def _secret() -> bytes:
    # Without a secret of its own, the sandbox signs with one derived from SECRET_KEY.
    return (settings.SANDBOX_PAYMENT_SECRET or f"sandbox:{settings.SECRET_KEY}").encode()


def sandbox_sign(*, body: bytes, timestamp: int) -> str:
    """The signature of a callback body sent at a moment (seconds since the epoch)."""
    return hmac.new(_secret(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def sandbox_callback(*, external_id: str, status: str, amount: Decimal, currency: str = "RUB", reason: str = ""):
    """A signed callback as the sandbox sends it: (body, headers)."""
    body = json.dumps(
        {"payment_id": external_id, "status": status, "amount": str(amount), "currency": currency, "reason": reason},
        ensure_ascii=False,
    ).encode()
    timestamp = int(_clock())
    return body, {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sandbox_sign(body=body, timestamp=timestamp)}


def card_outcome(number: str) -> str | None:
    """«succeeded» or «declined» for the sandbox's test cards; None for any other number."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return {CARD_SUCCESS: "succeeded", CARD_DECLINED: "declined"}.get(digits)


class SandboxProvider:
    name = NAME

    def create(self, *, payment, return_url: str) -> CreatedPayment:
        external_id = f"sbx-{payment.idempotence_key}"
        return CreatedPayment(
            external_id=external_id,
            confirmation_url=reverse("payments:sandbox", kwargs={"external_id": external_id}),
        )

    def verify(self, *, body: bytes, headers: dict) -> Notification:
        timestamp, signature = headers.get(TIMESTAMP_HEADER, ""), headers.get(SIGNATURE_HEADER, "")
        try:
            moment = int(timestamp)
        except ValueError:
            raise NotificationRejected("no timestamp") from None
        if not hmac.compare_digest(sandbox_sign(body=body, timestamp=moment), signature):
            raise NotificationRejected("bad signature")
        if abs(_clock() - moment) > settings.SANDBOX_CALLBACK_MAX_AGE:
            raise NotificationRejected("old timestamp")
        try:
            data = json.loads(body)
            return Notification(
                external_id=str(data["payment_id"]),
                status=str(data["status"]),
                amount=Decimal(str(data["amount"])),
                currency=str(data["currency"]),
                reason=str(data.get("reason", ""))[:255],
            )
        except (ValueError, KeyError, TypeError, InvalidOperation):
            raise NotificationRejected("malformed body") from None
