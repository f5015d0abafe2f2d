"""Promo uses counted exactly when buyers race on a real PostgreSQL."""

import pytest

from core.testing import race
from promotions.exceptions import PromoExhausted, PromoUsedByCustomer
from promotions.models import PromoCode, PromoRedemption
from promotions.services import promo_redeem
from promotions.tests.factories import PromoCodeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUYERS = 20


def test_promo_with_one_use_left_goes_to_exactly_one_of_20_buyers():
    PromoCodeFactory(code="LASTONE", max_uses=10, uses_count=9)

    results, errors = race(lambda i: promo_redeem(code="lastone", customer_key=f"user:{i}"), BUYERS)

    assert len(results) == 1
    assert len(errors) == BUYERS - 1
    assert all(isinstance(error, PromoExhausted) for error in errors)
    assert PromoCode.objects.get().uses_count == 10
    assert PromoRedemption.objects.count() == 1


def test_one_customer_racing_20_tabs_uses_a_once_per_customer_code_once():
    PromoCodeFactory(code="WELCOME10", per_customer_limit=1)

    results, errors = race(lambda i: promo_redeem(code="WELCOME10", customer_key="user:42"), BUYERS)

    assert len(results) == 1
    assert all(isinstance(error, PromoUsedByCustomer) for error in errors)
    assert PromoCode.objects.get().uses_count == 1
