"""What every page shows about payments."""

from django.conf import settings


def payment_mode(request):
    """Whether payments go to the sandbox: the same for every visitor, so it may be part of a cached page."""
    return {"payment_sandbox": settings.PAYMENT_SANDBOX_ALLOWED}
