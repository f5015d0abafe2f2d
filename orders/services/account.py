"""A guest's order made into an account: the person's contact, name, region and company come from it."""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AccountType, User
from accounts.selectors import login_taken
from accounts.services import CompanyData, ProfileData, customer_register
from accounts.validators import normalize_mobile_phone
from orders.exceptions import OrderAccountLoginTaken, OrderAccountNoLogin, OrderAccountRefused
from orders.models import Order


def order_login(order: Order) -> tuple[str | None, str | None]:
    """The email and the mobile phone of an order that an account can log in with; a landline is left out."""
    email = order.email.lower() or None
    phone = None
    if order.phone:
        try:
            phone = normalize_mobile_phone(order.phone)
        except ValidationError:
            phone = None
    if not email and not phone:
        raise OrderAccountNoLogin
    return email, phone


def order_account_user(order: Order) -> User:
    """An unsaved user as the order describes the person: what the password validators compare with."""
    email, phone = order_login(order)
    last_name, _, first_name = order.full_name.strip().partition(" ")
    if not first_name:
        last_name, first_name = "", last_name
    return User(email=email, phone=phone, first_name=first_name[:150], last_name=last_name[:150])


def _company(order: Order) -> CompanyData:
    return CompanyData(
        inn=order.inn,
        kpp=order.kpp,
        name=order.company_name,
        legal_address=order.legal_address,
        contact_name=order.contact_name,
        contact_phone=order.phone,
        contact_email=order.email.lower(),
    )


@transaction.atomic
def _create(*, order_id: int, password: str, ip_address: str | None, user_agent: str) -> tuple[User, Order]:
    order = Order.objects.select_for_update().filter(pk=order_id, user__isnull=True).first()
    if order is None:
        raise OrderAccountRefused
    user = order_account_user(order)
    taken = login_taken(email=user.email, phone=user.phone)
    if taken:
        raise OrderAccountLoginTaken(taken)
    is_company = order.is_company
    user = customer_register(
        user=user,
        email=user.email,
        phone=user.phone,
        password=password,
        account_type=AccountType.COMPANY if is_company else AccountType.PERSON,
        profile=ProfileData(first_name=user.first_name, region_id=order.region_id),
        company=_company(order) if is_company else None,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    if user.email:
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    Order.objects.filter(pk=order.pk).update(user=user)
    order.user = user
    return user, order


def order_account_create(
    *, order_id: int, password: str, ip_address: str | None, user_agent: str = ""
) -> tuple[User, Order]:
    """Make a guest's order into an account with the given password, recording the consent to the current text.

    The order, with its documents and payments, becomes the account's. A company's order makes a company
    account (joining a registered company asks its buyers first, as at signup).
    Raises OrderAccountRefused: the order has an account already, no login or a login that is taken.
    """
    try:
        return _create(order_id=order_id, password=password, ip_address=ip_address, user_agent=user_agent)
    except IntegrityError as error:
        # Another account took the email or phone between the check and the insert.
        user = order_account_user(Order.objects.get(pk=order_id))
        taken = login_taken(email=user.email, phone=user.phone)
        raise OrderAccountLoginTaken(taken or OrderAccountRefused.message) from error
