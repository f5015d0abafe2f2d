"""Every write about customers: signup data, profile, company, consent and account deletion."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.exceptions import JOIN_ALREADY_DECIDED
from accounts.models import (
    AccountType,
    Company,
    CompanyJoinRequest,
    ConsentKind,
    ConsentRecord,
    SmsMessage,
    User,
)
from accounts.selectors import consent_text_current
from accounts.signals import account_deleted


@dataclass
class CompanyData:
    inn: str
    kpp: str
    name: str
    legal_address: str
    contact_name: str
    contact_phone: str = ""
    contact_email: str = ""


@dataclass
class ProfileData:
    first_name: str = ""
    region_id: int | None = None
    object_type_id: int | None = None
    interest_ids: list[int] = field(default_factory=list)


def consent_record(*, user: User, ip_address: str | None, user_agent: str = "") -> ConsentRecord:
    """Record that the user consented to the current version of the personal data text."""
    return ConsentRecord.objects.create(
        user=user,
        kind=ConsentKind.PERSONAL_DATA,
        text=consent_text_current(kind=ConsentKind.PERSONAL_DATA),
        ip_address=ip_address,
        user_agent=user_agent[:300],
    )


def _company_create(*, data: CompanyData) -> Company:
    company = Company(**data.__dict__)
    company.full_clean()
    company.save()
    return company


@transaction.atomic
def customer_register(
    *,
    user: User,
    email: str | None,
    phone: str | None,
    password: str,
    account_type: str,
    profile: ProfileData,
    company: CompanyData | None,
    ip_address: str | None,
    user_agent: str = "",
) -> User:
    """Create the account with its profile, company and consent record in one transaction."""
    user.email = email or None
    user.phone = phone or None
    user.set_password(password)
    user.first_name = profile.first_name
    user.region_id = profile.region_id
    user.object_type_id = profile.object_type_id
    user.account_type = account_type
    existing = None
    if account_type == AccountType.COMPANY:
        if company is None:
            raise ValueError("A company account needs company data.")
        # A company registered before is joined with its members' approval, never registered twice.
        existing = Company.objects.select_for_update().filter(inn=company.inn, kpp=company.kpp).first()
        if existing is None:
            user.company = _company_create(data=company)
    user.save()
    user.interests.set(profile.interest_ids)
    consent_record(user=user, ip_address=ip_address, user_agent=user_agent)
    if existing is not None:
        company_join_request_create(user=user, company=existing)
    return user


def company_join_request_create(*, user: User, company: Company) -> CompanyJoinRequest:
    """Ask to buy for a registered company; staff or its first buyer decide."""
    pending = CompanyJoinRequest.objects.filter(user=user, company=company, status=CompanyJoinRequest.Status.PENDING)
    return pending.first() or CompanyJoinRequest.objects.create(user=user, company=company)


@transaction.atomic
def company_join_decide(*, join_request_id: int, approve: bool, decided_by: User) -> CompanyJoinRequest:
    """Approve or decline a join request; an approved buyer buys for the company from now on."""
    join_request = CompanyJoinRequest.objects.select_for_update().select_related("user").get(pk=join_request_id)
    if join_request.status != CompanyJoinRequest.Status.PENDING:
        raise ValidationError(JOIN_ALREADY_DECIDED, code="join_already_decided")
    join_request.status = CompanyJoinRequest.Status.APPROVED if approve else CompanyJoinRequest.Status.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = decided_by
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        member = join_request.user
        member.company_id = join_request.company_id
        member.account_type = AccountType.COMPANY
        member.save(update_fields=["company", "account_type", "updated_at"])
    return join_request


@transaction.atomic
def customer_update_profile(*, user: User, profile: ProfileData) -> User:
    """Save the optional profile data."""
    user.first_name = profile.first_name
    user.region_id = profile.region_id
    user.object_type_id = profile.object_type_id
    user.save(update_fields=["first_name", "region", "object_type", "updated_at"])
    user.interests.set(profile.interest_ids)
    return user


@transaction.atomic
def company_update(*, company: Company, data: CompanyData) -> Company:
    """Change a company's details after checking them."""
    for name, value in data.__dict__.items():
        setattr(company, name, value)
    company.full_clean()
    company.save()
    return company


def user_set_phone(*, user: User, phone: str, verified: bool) -> None:
    """Attach a phone number (E.164) to the user; a new number starts unverified."""
    user.phone = phone
    user.phone_verified = verified
    if user.pk:
        user.save(update_fields=["phone", "phone_verified", "updated_at"])


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Withdraw consent and remove personal data; the row stays, anonymised, for past orders."""
    now = timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=now)
    company = user.company
    EmailAddress.objects.filter(user=user).delete()
    if user.phone:
        # The gateway's log names the phone: the person's messages go with the account.
        SmsMessage.objects.filter(phone=user.phone).delete()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.phone = None
    user.phone_verified = False
    user.first_name = ""
    user.last_name = ""
    user.region = None
    user.object_type = None
    user.company = None
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.interests.clear()
    account_deleted.send(sender=User, user=user)
    if company is not None and not company.buyers.exists():
        _company_anonymise(company=company)
    _admin_log_anonymise(user=user, company=company)


def _company_anonymise(*, company: Company) -> None:
    """Strip the personal data of a company nobody buys for any more.

    The contact person is personal data. So is a sole trader as a whole: the name, ИНН and address are
    the person's own. A legal entity's details stay for the invoices issued to it.
    """
    company.contact_name = ""
    company.contact_phone = ""
    company.contact_email = ""
    if company.is_sole_trader:
        company.name = f"Индивидуальный предприниматель #{company.pk} (данные удалены)"
        company.inn = ""
        company.legal_address = ""
    company.save()


def _admin_log_anonymise(*, user: User, company: Company | None) -> None:
    """The admin's history names a deleted customer and their sole-trader company by id only."""
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(object_repr=f"#{user.pk}")
    if company is not None and company.is_sole_trader:
        company_type = ContentType.objects.get_for_model(Company)
        LogEntry.objects.filter(content_type=company_type, object_id=str(company.pk)).update(
            object_repr=f"#{company.pk}"
        )
