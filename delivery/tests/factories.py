from decimal import Decimal

import factory

from core.models import Region
from delivery.models import (
    CourierWindow,
    DeliveryKind,
    DeliveryMethod,
    DeliveryTariff,
    DeliveryZone,
    PickupKind,
    PickupPoint,
    ZoneRegion,
)


def region(code: str) -> Region:
    """A region from the reference table the suite loads."""
    return Region.objects.get(code=code)


class DeliveryMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryMethod
        django_get_or_create = ("kind",)

    kind = DeliveryKind.COURIER
    name = factory.LazyAttribute(lambda m: DeliveryKind(m.kind).label)


class DeliveryZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryZone

    name = factory.Sequence(lambda n: f"Зона {n}")
    window_capacity = 5


class ZoneRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZoneRegion

    zone = factory.SubFactory(DeliveryZoneFactory)
    region = factory.LazyFunction(lambda: region("77"))


class DeliveryTariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryTariff

    zone = factory.SubFactory(DeliveryZoneFactory)
    method = factory.SubFactory(DeliveryMethodFactory)
    cost = Decimal("390.00")


class PickupPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PickupPoint

    kind = PickupKind.POINT
    region = factory.LazyFunction(lambda: region("77"))
    name = factory.Sequence(lambda n: f"Пункт выдачи {n}")
    address = "г. Москва, ул. Тверская, д. 1"
    hours = "ежедневно 10:00–21:00"


class CourierWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourierWindow

    zone = factory.SubFactory(DeliveryZoneFactory)
    slot = "10-13"
    capacity = 3
