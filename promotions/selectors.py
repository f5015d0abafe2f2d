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


def promo_customer_uses(*, promo: PromoCode, customer_key: str) -> int:
    """How many unreleased uses of a code one buyer has."""
    return PromoRedemption.objects.filter(promo=promo, customer_key=customer_key, released_at__isnull=True).count()


def promo_check(*, promo: PromoCode, customer_key: str | None, now: datetime | None = None) -> None:
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


def customer_key(*, user=None, email: str = "", phone: str = "") -> str | None:
    """Who a buyer is for per-customer limits: the account, else the email, else the phone."""
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    if email:
        return f"email:{email.strip().lower()}"
    if phone:
        return f"phone:{phone.strip()}"
    return None
