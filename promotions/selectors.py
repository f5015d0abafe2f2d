"""Reads of promo codes: find one by what a buyer typed and check it for a buyer."""

import re
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from catalog.models import Brand, Category, Product
from promotions.exceptions import (
    PromoExhausted,
    PromoExpired,
    PromoNotFound,
    PromoNotStarted,
    PromoUsedByCustomer,
)
from promotions.identity import CustomerIdentity, identity_from, identity_of
from promotions.models import CODE_MAX_LENGTH, PromoCode, PromoRedemption

CODE_PATTERN = re.compile(r"[0-9A-ZА-ЯЁ_-]+")


def promo_normalize(code: str) -> str:
    """What a buyer typed, as codes are stored: trimmed, upper case."""
    return (code or "").strip().upper()


def promo_clean(code: str) -> str:
    """What a buyer typed, normalised, or PromoNotFound when it cannot be any code."""
    code = promo_normalize(code)
    if len(code) > CODE_MAX_LENGTH or not CODE_PATTERN.fullmatch(code):
        raise PromoNotFound
    return code


def promo_get(*, code: str) -> PromoCode:
    """The active promo code for what a buyer typed, with its scope, or PromoNotFound."""
    code = promo_clean(code)
    promo = (
        PromoCode.objects.filter(code=code, is_active=True)
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.only("id")),
            Prefetch("brands", queryset=Brand.objects.only("id")),
            Prefetch("products", queryset=Product.objects.only("id")),
        )
        .first()
    )
    if promo is None:
        raise PromoNotFound
    return promo


def promo_customer_uses(*, promo: PromoCode, customer_key: CustomerIdentity | str | None) -> int:
    """How many unreleased uses of a code were made under any key of this buyer."""
    keys = identity_from(customer_key).keys
    if not keys:
        return 0
    return (
        PromoRedemption.objects.filter(promo=promo, released_at__isnull=True, keys__key__in=keys)
        .values("pk")
        .distinct()
        .count()
    )


def promo_check(*, promo: PromoCode, customer_key: CustomerIdentity | str | None, now: datetime | None = None) -> None:
    """Raise the PromoError that refuses this code to this buyer now, if any."""
    now = now or timezone.now()
    if promo.valid_from and now < promo.valid_from:
        raise PromoNotStarted
    if promo.valid_to and now > promo.valid_to:
        raise PromoExpired
    if promo.max_uses is not None and promo.uses_count >= promo.max_uses:
        raise PromoExhausted
    if (
        customer_key
        and promo.per_customer_limit is not None
        and promo_customer_uses(promo=promo, customer_key=customer_key) >= promo.per_customer_limit
    ):
        raise PromoUsedByCustomer


def customer_key(*, user=None, email: str = "", phone: str = "") -> CustomerIdentity | None:
    """Every key of a buyer for per-customer limits: the account with its email and phone, and the order's."""
    signed_in = user is not None and user.is_authenticated
    identity = identity_of(
        user_id=user.pk if signed_in else None,
        emails=[email, user.email if signed_in else ""],
        phones=[phone, user.phone if signed_in else ""],
    )
    return identity or None
