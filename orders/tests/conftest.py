from decimal import Decimal

import pytest

from cart.tests.factories import CartFactory, CartLineFactory
from catalog.models import Warehouse
from catalog.tests.factories import CategoryFactory, StockFactory, WarehouseFactory
from core.models import Region
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


@pytest.fixture
def shop():
    """The demo delivery set-up, with a Moscow warehouse holding two products."""
    from demo.checkout import demo_checkout_seed

    warehouse = Warehouse.objects.create(code="msk", name="Склад Москва", city="Москва")
    warehouse.regions.set(Region.objects.filter(code__in=["77", "50"]))
    demo_checkout_seed()

    def product(name: str, price: str):
        return StockFactory(
            warehouse=warehouse,
            quantity=20,
            product__name=name,
            product__price=Decimal(price),
            product__weight_kg=Decimal("0.8"),
            product__category=CategoryFactory(),
        ).product

    return {
        "camera": product("IP-камера уличная 4 Мп", "12990.00"),
        "sensor": product("Датчик протечки воды", "1490.00"),
    }
