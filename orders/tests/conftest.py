from decimal import Decimal

import pytest

from cart.tests.factories import CartFactory, CartLineFactory
from catalog.tests.factories import StockFactory, WarehouseFactory
from delivery.models import DeliveryKind, PickupKind
from delivery.tests.factories import (
    DeliveryMethodFactory,
    DeliveryTariffFactory,
    DeliveryZoneFactory,
    PickupPointFactory,
    ZoneRegionFactory,
    region,
)


@pytest.fixture
def moscow_delivery():
    """Moscow: courier 390 ₽ (free from 30 000 ₽) with windows, pickup from a store, pickup points, post;
    Saint Petersburg: pickup points only. The Moscow warehouse serves Moscow."""
    warehouse = WarehouseFactory(code="msk")
    warehouse.regions.set([region("77")])
    zone = DeliveryZoneFactory(name="Москва", window_capacity=3)
    ZoneRegionFactory(zone=zone, region=region("77"))
    courier = DeliveryMethodFactory(kind=DeliveryKind.COURIER, name="Курьер", max_weight_kg=Decimal("30"))
    pickup = DeliveryMethodFactory(kind=DeliveryKind.PICKUP, name="Самовывоз")
    point = DeliveryMethodFactory(kind=DeliveryKind.POINT, name="Пункт выдачи")
    post = DeliveryMethodFactory(kind=DeliveryKind.POST, name="Почта России")
    DeliveryTariffFactory(zone=zone, method=courier, cost=Decimal("390"), free_from=Decimal("30000"))
    DeliveryTariffFactory(zone=zone, method=pickup, cost=Decimal("0"))
    DeliveryTariffFactory(zone=zone, method=point, cost=Decimal("199"))
    DeliveryTariffFactory(zone=zone, method=post, cost=Decimal("350"), transit_days=5)
    spb = DeliveryZoneFactory(name="Санкт-Петербург")
    ZoneRegionFactory(zone=spb, region=region("78"))
    DeliveryTariffFactory(zone=spb, method=point, cost=Decimal("249"))
    return {
        "zone": zone,
        "warehouse": warehouse,
        "store": PickupPointFactory(kind=PickupKind.STORE, name="Магазин на Электродной", warehouse=warehouse),
        "point": PickupPointFactory(kind=PickupKind.POINT, name="ПВЗ Тверская"),
        "spb_point": PickupPointFactory(kind=PickupKind.POINT, name="ПВЗ Невский", region=region("78")),
    }


@pytest.fixture
def stocked_product(moscow_delivery):
    def make(price="5000.00", quantity=10, **kwargs):
        return StockFactory(
            warehouse=moscow_delivery["warehouse"], quantity=quantity, product__price=Decimal(price), **kwargs
        ).product

    return make


@pytest.fixture
def guest_with_cart(client, stocked_product):
    """A guest whose cart holds two units of a 5 000 ₽ camera and one 2 000 ₽ recorder."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    cart = CartFactory(session_key=session.session_key)
    CartLineFactory(cart=cart, product=stocked_product("5000.00"), quantity=2)
    CartLineFactory(cart=cart, product=stocked_product("2000.00"), quantity=1)
    return cart
