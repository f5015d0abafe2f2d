"""The payment provider interface and the provider the settings switch on."""

from django.conf import settings

from payments.providers.base import (
    CreatedPayment,
    Notification,
    NotificationRejected,
    PaymentProvider,
    ProviderError,
    RefundResult,
)


def provider_get(name: str | None = None) -> PaymentProvider:
    """The named provider, or YooKassa when its keys are set, else the sandbox."""
    from payments.providers.sandbox import SandboxProvider

    if name is None:
        name = "yookassa" if getattr(settings, "YOOKASSA_SHOP_ID", "") else "sandbox"
    if name == "yookassa":
        from payments.providers.yookassa import YooKassaProvider

        return YooKassaProvider()
    return SandboxProvider()


__all__ = [
    "CreatedPayment",
    "Notification",
    "NotificationRejected",
    "PaymentProvider",
    "ProviderError",
    "RefundResult",
    "provider_get",
]
