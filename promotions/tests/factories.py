from decimal import Decimal

import factory

from promotions.models import PromoCode, PromoKind


class PromoCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromoCode

    code = factory.Sequence(lambda n: f"PROMO{n}")
    kind = PromoKind.PERCENT
    value = Decimal("10")
    per_customer_limit = None
