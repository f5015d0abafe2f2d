"""The sandbox: the shop's own imitation of a hosted payment page and its bank, signing its callbacks like real
providers. Payments are two-stage as YooKassa's: a card accepted is held (`waiting_for_capture`) until the shop
captures it or releases the hold; refunds are answered by a signed callback.

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

from payments.providers.base import (
    DECLINED,
    PENDING,
    SUCCEEDED,
    WAITING_FOR_CAPTURE,
    CreatedPayment,
    Notification,
    NotificationRejected,
    RefundResult,
)

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


def _signed(data: dict):
    body = json.dumps(data, ensure_ascii=False).encode()
    timestamp = int(_clock())
    return body, {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sandbox_sign(body=body, timestamp=timestamp)}


def sandbox_callback(*, external_id: str, status: str, amount: Decimal, currency: str = "RUB", reason: str = ""):
    """A signed payment callback as the sandbox sends it: (body, headers)."""
    return _signed(
        {"payment_id": external_id, "status": status, "amount": str(amount), "currency": currency, "reason": reason}
    )


def sandbox_refund_callback(*, external_id: str, amount: Decimal, status: str = SUCCEEDED, reason: str = ""):
    """A signed refund callback as the sandbox's bank sends it once the money is back: (body, headers)."""
    return _signed(
        {
            "object": "refund",
            "refund_id": external_id,
            "status": status,
            "amount": str(amount),
            "currency": "RUB",
            "reason": reason,
        }
    )


def card_outcome(number: str) -> str | None:
    """«waiting_for_capture» (the bank holds the money) or «declined» for the sandbox's test cards; None for any
    other number."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return {CARD_SUCCESS: WAITING_FOR_CAPTURE, CARD_DECLINED: DECLINED}.get(digits)


def _as_notification(payment, status: str, reason: str = "") -> Notification:
    return Notification(
        external_id=payment.external_id, status=status, amount=payment.amount, currency=payment.currency, reason=reason
    )


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
            if data.get("object") == "refund":
                return Notification(
                    external_id=str(data["refund_id"]),
                    status=str(data["status"]),
                    amount=Decimal(str(data["amount"])),
                    currency=str(data["currency"]),
                    reason=str(data.get("reason", ""))[:255],
                    kind="refund",
                )
            return Notification(
                external_id=str(data["payment_id"]),
                status=str(data["status"]),
                amount=Decimal(str(data["amount"])),
                currency=str(data["currency"]),
                reason=str(data.get("reason", ""))[:255],
            )
        except (ValueError, KeyError, TypeError, InvalidOperation):
            raise NotificationRejected("malformed body") from None

    def fetch(self, *, payment) -> Notification:
        # The sandbox's bank keeps no books of its own: what the shop recorded is all it knows.
        status = {"authorized": WAITING_FOR_CAPTURE, "succeeded": SUCCEEDED, "declined": DECLINED}.get(
            payment.status, PENDING
        )
        return _as_notification(payment, status, payment.decline_reason)

    def capture(self, *, payment) -> Notification:
        return _as_notification(payment, SUCCEEDED)

    def cancel(self, *, payment) -> Notification:
        return _as_notification(payment, DECLINED, "Удержание снято магазином")

    def refund(self, *, refund) -> RefundResult:
        return RefundResult(external_id=f"sbx-refund-{refund.idempotence_key}", status=PENDING)

    def fetch_refund(self, *, refund) -> RefundResult:
        return RefundResult(external_id=refund.external_id, status=SUCCEEDED)

    def settle(self, *, payment) -> str:
        return f"sbx-receipt-{payment.idempotence_key}"
