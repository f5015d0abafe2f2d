"""Reads about customers."""

from accounts.models import ConsentRecord


def consent_current(*, user) -> ConsentRecord | None:
    """The consent the customer has given and not withdrawn."""
    return ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).first()
