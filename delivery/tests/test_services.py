import datetime
from decimal import Decimal as D

import pytest

from delivery.exceptions import WindowFull, WindowInPast
from delivery.models import CourierWindow, DeliveryKind, PickupKind
from delivery.rules import Parcel
from delivery.selectors import courier_windows, delivery_offers, zone_for_region
from delivery.services import courier_window_book, courier_window_release
from delivery.tests.factories import (
    CourierWindowFactory,
    DeliveryMethodFactory,
    DeliveryTariffFactory,
    DeliveryZoneFactory,
    PickupPointFactory,
    ZoneRegionFactory,
    region,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
TOMORROW = TODAY + datetime.timedelta(days=1)
LIGHT = Parcel(weight_kg=D("2"), longest_side_mm=300)


@pytest.fixture
def moscow():
    zone = DeliveryZoneFactory(name="Москва", window_capacity=2)
    ZoneRegionFactory(zone=zone, region=region("77"))
    return zone


def test_zone_for_region():
    zone = ZoneRegionFactory(region=region("78")).zone

    assert zone_for_region(region_id=region("78").pk) == zone
    assert zone_for_region(region_id=region("54").pk) is None
    assert zone_for_region(region_id=None) is None


def test_offers_are_only_the_methods_the_zone_has(moscow):
    DeliveryTariffFactory(
        zone=moscow, method=DeliveryMethodFactory(kind=DeliveryKind.COURIER), cost=D("390"), transit_days=0
    )
    DeliveryTariffFactory(
        zone=moscow, method=DeliveryMethodFactory(kind=DeliveryKind.POST), cost=D("300"), transit_days=5
    )
    other = DeliveryZoneFactory()
    DeliveryTariffFactory(zone=other, method=DeliveryMethodFactory(kind=DeliveryKind.POINT))

    offers = delivery_offers(zone=moscow, region_id=region("77").pk, parcel=LIGHT, ready_days=1)

    assert [(o.kind, o.cost, o.days) for o in offers] == [
        (DeliveryKind.COURIER, D("390.00"), 1),
        (DeliveryKind.POST, D("300.00"), 6),
    ]


def test_pickup_offers_list_the_regions_points_and_are_hidden_without_any(moscow):
    DeliveryTariffFactory(zone=moscow, method=DeliveryMethodFactory(kind=DeliveryKind.PICKUP), cost=D("0"))
    DeliveryTariffFactory(zone=moscow, method=DeliveryMethodFactory(kind=DeliveryKind.POINT), cost=D("199"))
    point = PickupPointFactory(kind=PickupKind.POINT, region=region("77"))
    PickupPointFactory(kind=PickupKind.POINT, region=region("78"))
    PickupPointFactory(kind=PickupKind.POINT, region=region("77"), is_active=False)

    offers = delivery_offers(zone=moscow, region_id=region("77").pk, parcel=LIGHT, ready_days=1)

    assert [(o.kind, o.points) for o in offers] == [(DeliveryKind.POINT, [point])]


def test_offer_of_a_method_that_cannot_carry_the_parcel_says_why(moscow):
    DeliveryTariffFactory(zone=moscow, method=DeliveryMethodFactory(kind=DeliveryKind.POST, max_weight_kg=D("20")))

    (offer,) = delivery_offers(zone=moscow, region_id=region("77").pk, parcel=Parcel(D("25"), 100), ready_days=1)

    assert not offer.can_carry
    assert offer.refusal == "Заказ весит 25 кг, а этим способом можно отправить не больше 20 кг"


def test_courier_windows_show_places_left(moscow):
    CourierWindowFactory(zone=moscow, date=TOMORROW, slot="13-16", capacity=2, booked=2)

    windows = courier_windows(zone=moscow, first_date=TOMORROW, days=2)

    assert len(windows) == 8
    assert [(w.slot, w.free) for w in windows[:4]] == [("10-13", 2), ("13-16", 0), ("16-19", 2), ("19-22", 2)]
    assert windows[1].is_full


def test_booking_a_window_creates_it_with_the_zones_capacity(moscow):
    window = courier_window_book(zone=moscow, date=TOMORROW, slot="10-13", today=TODAY)

    assert (window.capacity, window.booked) == (2, 1)


def test_a_full_window_cannot_be_booked(moscow):
    courier_window_book(zone=moscow, date=TOMORROW, slot="10-13", today=TODAY)
    courier_window_book(zone=moscow, date=TOMORROW, slot="10-13", today=TODAY)

    with pytest.raises(WindowFull) as raised:
        courier_window_book(zone=moscow, date=TOMORROW, slot="10-13", today=TODAY)

    assert raised.value.message == "Это окно уже занято — выберите другое"
    assert CourierWindow.objects.get().booked == 2


@pytest.mark.parametrize("date", [TODAY, TODAY - datetime.timedelta(days=3)])
def test_today_or_a_past_date_cannot_be_booked(moscow, date):
    with pytest.raises(WindowInPast):
        courier_window_book(zone=moscow, date=date, slot="10-13", today=TODAY)


def test_release_gives_a_place_back_and_never_below_zero(moscow):
    window = courier_window_book(zone=moscow, date=TOMORROW, slot="10-13", today=TODAY)

    assert courier_window_release(window_id=window.pk) is True
    assert courier_window_release(window_id=window.pk) is False
    window.refresh_from_db()
    assert window.booked == 0
