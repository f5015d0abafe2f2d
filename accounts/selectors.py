"""Reads about customers and their consents."""

from accounts.models import ConsentKind, ConsentRecord, ConsentText


def consent_current(*, user) -> ConsentRecord | None:
    """The consent the customer has given and not withdrawn, with its text."""
    return ConsentRecord.objects.select_related("text").filter(user=user, withdrawn_at__isnull=True).first()


def consent_text_current(*, kind: str = ConsentKind.PERSONAL_DATA) -> ConsentText:
    """The version of a consent text that a person agrees to today: the latest published."""
    return ConsentText.objects.filter(kind=kind).latest("published_at", "pk")


def consent_text_get(*, version: str, kind: str = ConsentKind.PERSONAL_DATA) -> ConsentText:
    """A published version of a consent text, or ConsentText.DoesNotExist."""
    return ConsentText.objects.get(kind=kind, version=version)
