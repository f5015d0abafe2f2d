from decimal import Decimal

import pytest

from delivery.models import DeliveryKind, DeliveryTariff, PickupKind, PickupPoint
from delivery.selectors import zone_for_region
from delivery.tests.factories import region
from demo.checkout import demo_checkout_seed
from demo.data import CUSTOMER_EMAIL
from demo.seed import demo_users_ensure
from loyalty.selectors import points_balance
from promotions.models import PromoCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(django_user_model):
    demo_users_ensure()
    demo_checkout_seed()
    return django_user_model.objects.get(email=CUSTOMER_EMAIL)


def kinds(code: str) -> set[str]:
    zone = zone_for_region(region_id=region(code).pk)
    return set(DeliveryTariff.objects.filter(zone=zone).values_list("method__kind", flat=True))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("77", {DeliveryKind.COURIER, DeliveryKind.PICKUP, DeliveryKind.POINT}),
        ("50", {DeliveryKind.COURIER, DeliveryKind.PICKUP, DeliveryKind.POINT}),
        ("78", {DeliveryKind.COURIER, DeliveryKind.PICKUP, DeliveryKind.POINT}),
        ("54", {DeliveryKind.POST}),
        ("25", {DeliveryKind.POST}),
    ],
)
def test_regions_get_their_delivery_methods(seeded, code, expected):
    assert kinds(code) == expected


def test_pickup_points_and_stores_in_the_three_regions(seeded):
    for code in ("77", "50", "78"):
        points = PickupPoint.objects.filter(region=region(code))
        assert set(points.values_list("kind", flat=True)) == {PickupKind.STORE, PickupKind.POINT}


def test_promo_codes(seeded):
    welcome = PromoCode.objects.get(code="WELCOME10")
    minus = PromoCode.objects.get(code="MINUS500")

    assert (welcome.kind, welcome.value, welcome.min_order, welcome.per_customer_limit) == (
        "percent",
        Decimal("10.00"),
        Decimal("3000.00"),
        1,
    )
    assert (minus.kind, minus.value, minus.min_order, minus.combines_with_points) == (
        "fixed",
        Decimal("500.00"),
        Decimal("5000.00"),
        False,
    )


def test_demo_customer_has_1500_points_once(seeded):
    demo_checkout_seed()

    assert points_balance(user=seeded) == 1500
