"""Reads about customers and their consents."""

from allauth.account.models import EmailAddress

from accounts import exceptions
from accounts.models import CompanyJoinRequest, ConsentKind, ConsentRecord, ConsentText, User


def login_taken(*, email: str | None, phone: str | None) -> str | None:
    """Why a new account cannot have this email or phone (an account has it already), or None."""
    if email and (
        User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        return exceptions.EMAIL_TAKEN
    if phone and User.objects.filter(phone=phone).exists():
        return exceptions.PHONE_TAKEN
    return None


def consent_current(*, user) -> ConsentRecord | None:
    """The consent the customer has given and not withdrawn, with its text."""
    return ConsentRecord.objects.select_related("text").filter(user=user, withdrawn_at__isnull=True).first()


def consent_text_current(*, kind: str = ConsentKind.PERSONAL_DATA) -> ConsentText:
    """The version of a consent text that a person agrees to today: the latest published."""
    return ConsentText.objects.filter(kind=kind).latest("published_at", "pk")


def consent_text_get(*, version: str, kind: str = ConsentKind.PERSONAL_DATA) -> ConsentText:
    """A published version of a consent text, or ConsentText.DoesNotExist."""
    return ConsentText.objects.get(kind=kind, version=version)


def company_first_buyer_id(*, company_id: int) -> int | None:
    """The first active buyer of a company, who approves newcomers along with staff."""
    return (
        User.objects.filter(company_id=company_id, is_active=True)
        .order_by("date_joined", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def company_join_requests_to_decide(*, user) -> list[CompanyJoinRequest]:
    """Pending requests to join the company of which the user is the first buyer."""
    if not user.company_id or company_first_buyer_id(company_id=user.company_id) != user.pk:
        return []
    return list(
        CompanyJoinRequest.objects.filter(company_id=user.company_id, status=CompanyJoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def company_join_request_pending(*, user) -> CompanyJoinRequest | None:
    """The user's own request to join a company, while it waits (a member of a company has none)."""
    if user.company_id:
        return None
    return (
        CompanyJoinRequest.objects.filter(user=user, status=CompanyJoinRequest.Status.PENDING)
        .select_related("company")
        .first()
    )
