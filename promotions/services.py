"""Every write to promo codes: a use taken exactly once under concurrency, and given back."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from promotions.exceptions import PromoExhausted, PromoNotFound
from promotions.identity import CustomerIdentity, identity_from
from promotions.models import PromoCode, PromoRedemption, PromoRedemptionKey
from promotions.selectors import promo_check, promo_clean


@transaction.atomic
def promo_redeem(
    *, code: str, customer_key: CustomerIdentity | str | None, user=None, now: datetime | None = None
) -> PromoRedemption:
    """Use a promo code once for a buyer, recording every key of the buyer the per-customer limit counts by."""
    promo = PromoCode.objects.select_for_update().filter(code=promo_clean(code), is_active=True).first()
    if promo is None:
        raise PromoNotFound
    # The row lock serialises every use of this code, so the per-customer count cannot be raced.
    identity = identity_from(customer_key)
    promo_check(promo=promo, customer_key=identity, now=now)
    taken = PromoCode.objects.filter(pk=promo.pk)
    if promo.max_uses is not None:
        taken = taken.filter(uses_count__lt=F("max_uses"))
    if taken.update(uses_count=F("uses_count") + 1) != 1:
        raise PromoExhausted
    redemption = PromoRedemption.objects.create(
        promo=promo,
        customer_key=str(identity),
        user=user if user is not None and user.pk else None,
    )
    PromoRedemptionKey.objects.bulk_create(PromoRedemptionKey(redemption=redemption, key=key) for key in identity.keys)
    return redemption


@transaction.atomic
def promo_release(*, redemption_id: int) -> bool:
    """Give a use back (an order cancelled or never paid); False when it was already given back."""
    released = PromoRedemption.objects.filter(pk=redemption_id, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    if released:
        promo_id = PromoRedemption.objects.values_list("promo_id", flat=True).get(pk=redemption_id)
        PromoCode.objects.filter(pk=promo_id, uses_count__gt=0).update(uses_count=F("uses_count") - 1)
    return bool(released)


@transaction.atomic
def promo_restore(*, redemption_id: int) -> bool:
    """Take a given-back use again (a late payment revives its order); False when the code has no use left."""
    redemption = PromoRedemption.objects.select_related("promo").filter(pk=redemption_id).first()
    if redemption is None:
        return False
    if redemption.released_at is None:
        return True
    promo = PromoCode.objects.select_for_update().get(pk=redemption.promo_id)
    taken = PromoCode.objects.filter(pk=promo.pk)
    if promo.max_uses is not None:
        taken = taken.filter(uses_count__lt=F("max_uses"))
    if taken.update(uses_count=F("uses_count") + 1) != 1:
        return False
    PromoRedemption.objects.filter(pk=redemption_id).update(released_at=None)
    return True
