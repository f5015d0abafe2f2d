import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from promotions.exceptions import (
    PromoExhausted,
    PromoExpired,
    PromoNotFound,
    PromoNotStarted,
    PromoUsedByCustomer,
)
from promotions.models import PromoCode, PromoRedemption
from promotions.selectors import customer_key, promo_get
from promotions.services import promo_redeem, promo_release
from promotions.tests.factories import PromoCodeFactory

pytestmark = pytest.mark.django_db


def test_promo_get_ignores_case_and_spaces():
    PromoCodeFactory(code="WELCOME10")

    assert promo_get(code="  welcome10 ").code == "WELCOME10"


@pytest.mark.parametrize("typed", ["", "NOPE", "x" * 10_000, "welcome10\x00"])
def test_promo_get_refuses_unknown_codes(typed):
    PromoCodeFactory(code="WELCOME10")

    with pytest.raises(PromoNotFound):
        promo_get(code=typed)


def test_inactive_promo_is_not_found():
    PromoCodeFactory(code="OLD", is_active=False)

    with pytest.raises(PromoNotFound):
        promo_get(code="OLD")


def test_promo_code_is_stored_upper_and_unique_regardless_of_case():
    from django.db import IntegrityError

    PromoCodeFactory(code="sale")

    assert PromoCode.objects.get().code == "SALE"
    with pytest.raises(IntegrityError):
        PromoCode.objects.bulk_create([PromoCode(code="Sale", value=5)])


def test_promo_redeem_counts_the_use():
    promo = PromoCodeFactory(code="ONCE", max_uses=5)

    redemption = promo_redeem(code="once", customer_key="email:a@example.ru")

    promo.refresh_from_db()
    assert promo.uses_count == 1
    assert redemption.promo == promo


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "error"),
    [
        (datetime.timedelta(days=1), None, PromoNotStarted),
        (None, -datetime.timedelta(seconds=1), PromoExpired),
    ],
)
def test_promo_redeem_checks_dates(valid_from, valid_to, error):
    now = timezone.now()
    PromoCodeFactory(
        code="DATED",
        valid_from=now + valid_from if valid_from else None,
        valid_to=now + valid_to if valid_to else None,
    )

    with pytest.raises(error) as raised:
        promo_redeem(code="DATED", customer_key="user:1", now=now)
    assert raised.value.message in {"Промокод ещё не действует", "Промокод истёк"}


def test_promo_redeem_refuses_a_second_use_by_one_customer():
    PromoCodeFactory(code="WELCOME10", per_customer_limit=1)
    promo_redeem(code="WELCOME10", customer_key="user:7")

    with pytest.raises(PromoUsedByCustomer) as raised:
        promo_redeem(code="WELCOME10", customer_key="user:7")

    assert raised.value.message == "Промокод уже использован"
    promo_redeem(code="WELCOME10", customer_key="user:8")


def test_promo_redeem_refuses_when_total_uses_are_gone():
    PromoCodeFactory(code="LAST", max_uses=1, uses_count=1)

    with pytest.raises(PromoExhausted):
        promo_redeem(code="LAST", customer_key="user:1")


def test_promo_release_gives_the_use_back_once():
    promo = PromoCodeFactory(code="BACK", max_uses=1, per_customer_limit=1)
    redemption = promo_redeem(code="BACK", customer_key="user:1")

    assert promo_release(redemption_id=redemption.pk) is True
    assert promo_release(redemption_id=redemption.pk) is False

    promo.refresh_from_db()
    assert promo.uses_count == 0
    promo_redeem(code="BACK", customer_key="user:1")


def test_customer_key_names_the_account_with_its_email_and_phone_and_the_orders():
    user = UserFactory(email="irina@example.ru", phone="+79160000000")

    assert customer_key(user=user, email="X@Y.RU", phone="8 916 111-22-33").keys == (
        f"user:{user.pk}",
        "email:x@y.ru",
        "email:irina@example.ru",
        "phone:+79161112233",
        "phone:+79160000000",
    )
    assert customer_key(email=" X@Y.RU ").keys == ("email:x@y.ru",)
    assert customer_key(phone="+79160000000").keys == ("phone:+79160000000",)
    assert customer_key() is None
    assert PromoRedemption.objects.count() == 0


def _used_by(**buyer):
    PromoCodeFactory(code="WELCOME10", per_customer_limit=1)
    promo_redeem(code="WELCOME10", customer_key=customer_key(**buyer), user=buyer.get("user"))


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ({"email": "irina@example.ru"}, {"email": "IRINA@Example.ru"}),
        ({"email": "irina@example.ru"}, {"email": "irina+sale@example.ru"}),
        ({"email": "irina.petrova@gmail.com"}, {"email": "irinapetrova@googlemail.com"}),
        ({"email": "irina.petrova@yandex.ru"}, {"email": "irina-petrova@ya.ru"}),
        ({"phone": "+79161234567"}, {"phone": "8 (916) 123-45-67"}),
        ({"email": "a@example.ru", "phone": "+79161234567"}, {"email": "b@example.ru", "phone": "89161234567"}),
    ],
)
def test_promo_redeem_refuses_the_same_person_under_another_spelling(first, again):
    _used_by(**first)

    with pytest.raises(PromoUsedByCustomer) as raised:
        promo_redeem(code="WELCOME10", customer_key=customer_key(**again))

    assert raised.value.message == "Промокод уже использован"


def test_promo_redeem_refuses_a_guest_after_the_same_person_used_it_signed_in():
    user = UserFactory(email="irina@example.ru", phone="+79161234567")
    _used_by(user=user, email="", phone="")

    for guest in ({"email": "Irina+again@example.ru"}, {"phone": "8 916 123 45 67"}):
        with pytest.raises(PromoUsedByCustomer):
            promo_redeem(code="WELCOME10", customer_key=customer_key(**guest))


def test_promo_redeem_refuses_a_signed_in_buyer_whose_email_was_used_by_a_guest():
    _used_by(email="irina@example.ru")
    user = UserFactory(email="irina@example.ru")

    with pytest.raises(PromoUsedByCustomer):
        promo_redeem(code="WELCOME10", customer_key=customer_key(user=user, email="other@example.ru"), user=user)


def test_promo_redeem_counts_only_unreleased_uses_of_the_person():
    _used_by(email="irina@example.ru")
    redemption = PromoRedemption.objects.get()
    promo_release(redemption_id=redemption.pk)

    promo_redeem(code="WELCOME10", customer_key=customer_key(email="irina+2@example.ru"))


def test_promo_redeem_accepts_a_different_person():
    user = UserFactory(email="irina@example.ru", phone="+79161234567")
    _used_by(user=user, email="irina@example.ru", phone="+79161234567")

    redemption = promo_redeem(
        code="WELCOME10", customer_key=customer_key(email="olga@example.ru", phone="+79169999999")
    )

    assert redemption.customer_key == "email:olga@example.ru"
    assert sorted(redemption.keys.values_list("key", flat=True)) == ["email:olga@example.ru", "phone:+79169999999"]


@pytest.mark.parametrize("typed", ["x" * 10_000, "a\x00b", "'; DROP TABLE"])
def test_promo_redeem_refuses_codes_that_cannot_exist(typed):
    with pytest.raises(PromoNotFound):
        promo_redeem(code=typed, customer_key="user:1")
