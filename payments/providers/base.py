"""What every payment provider does for the shop: take money in two stages, give it back, report on both."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

# The statuses a Notification or a provider's answer carries, whatever the provider calls them.
PENDING = "pending"
WAITING_FOR_CAPTURE = "waiting_for_capture"
SUCCEEDED = "succeeded"
DECLINED = "declined"  # declined by the bank, or a hold cancelled
REFUND_FAILED = "failed"


class NotificationRejected(Exception):
    """A notification the shop does not trust: bad signature, old timestamp, unknown or malformed."""


class ProviderError(Exception):
    """A provider call that failed or did not answer in time; the same call may be made again later."""


@dataclass(frozen=True)
class CreatedPayment:
    external_id: str
    confirmation_url: str


@dataclass(frozen=True)
class Notification:
    """What a trusted notification (or an answer read from the API) says of a payment or a refund.

    `kind` is "payment" or "refund"; for a refund, `status` is pending, succeeded or failed.
    """

    external_id: str
    status: str
    amount: Decimal
    currency: str
    reason: str = ""
    kind: str = "payment"


@dataclass(frozen=True)
class RefundResult:
    external_id: str
    status: str  # pending, succeeded or failed
    reason: str = ""


class PaymentProvider(Protocol):
    name: str

    def create(self, *, payment, return_url: str) -> CreatedPayment:
        """Register a two-stage payment (the bank holds the money); safe to call again with the same payment."""

    def verify(self, *, body: bytes, headers: dict) -> Notification:
        """Parse a notification and prove it came from the provider; NotificationRejected otherwise."""

    def fetch(self, *, payment) -> Notification:
        """The payment's status as the provider knows it now (reconciliation); ProviderError when unreachable."""

    def capture(self, *, payment) -> Notification:
        """Take the held money; the answer says the payment's status after it. ProviderError when unreachable."""

    def cancel(self, *, payment) -> Notification:
        """Release the held money to the buyer. ProviderError when unreachable."""

    def refund(self, *, refund) -> RefundResult:
        """Give back `refund.amount` of `refund.payment` under `refund.idempotence_key`, with the refund receipt
        of `refund.lines` (and `refund.delivery`). ProviderError when unreachable."""

    def fetch_refund(self, *, refund) -> RefundResult:
        """The refund's status as the provider knows it now. ProviderError when unreachable."""

    def settle(self, *, payment) -> str:
        """Send the receipt of full settlement (54-FZ) when the goods are handed over; its id, "" if none."""
