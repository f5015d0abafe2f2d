"""What every payment provider does for the shop: create a payment and vouch for a notification."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


class NotificationRejected(Exception):
    """A notification the shop does not trust: bad signature, old timestamp, unknown or malformed."""


@dataclass(frozen=True)
class CreatedPayment:
    external_id: str
    confirmation_url: str


@dataclass(frozen=True)
class Notification:
    """What a trusted notification says of a payment."""

    external_id: str
    status: str
    amount: Decimal
    currency: str
    reason: str = ""


class PaymentProvider(Protocol):
    name: str

    def create(self, *, payment, return_url: str) -> CreatedPayment:
        """Register the payment with the provider; safe to call again with the same payment."""

    def verify(self, *, body: bytes, headers: dict) -> Notification:
        """Parse a notification and prove it came from the provider; NotificationRejected otherwise."""
