"""Demo data for checkout: delivery by region, pickup points, promo codes and the demo customer's points."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from catalog.models import Warehouse
from core.models import Region
from delivery.models import (
    DeliveryKind,
    DeliveryMethod,
    DeliveryTariff,
    DeliveryZone,
    PickupKind,
    PickupPoint,
    ZoneRegion,
)
from demo.data import CUSTOMER_EMAIL
from loyalty.models import LoyaltyProgram, PointsEntry
from loyalty.services import points_earn
from promotions.models import PromoCode, PromoKind

CUSTOMER_POINTS = 1500

METHODS = [
    # kind, name, description, max weight kg, max side mm
    (DeliveryKind.COURIER, "Курьер", "До двери в выбранное окно", Decimal("50"), 2000),
    (DeliveryKind.PICKUP, "Самовывоз", "Из нашего магазина или со склада", None, None),
    (DeliveryKind.POINT, "Пункт выдачи", "В удобном пункте рядом с домом", Decimal("15"), 800),
    (DeliveryKind.POST, "Почта России", "В отделение по адресу", Decimal("20"), 1000),
]

# zone, region codes (None: every region no other zone has), window capacity, tariffs:
# kind -> (cost, included kg, per extra kg, free from, transit days)
ZONES = [
    (
        "Москва и Московская область",
        ["77", "50"],
        8,
        {
            DeliveryKind.COURIER: ("390", "10", "30", "30000", 0),
            DeliveryKind.PICKUP: ("0", "0", "0", None, 0),
            DeliveryKind.POINT: ("199", "5", "20", "15000", 1),
        },
    ),
    (
        "Санкт-Петербург",
        ["78"],
        6,
        {
            DeliveryKind.COURIER: ("450", "10", "30", "30000", 0),
            DeliveryKind.PICKUP: ("0", "0", "0", None, 0),
            DeliveryKind.POINT: ("249", "5", "20", "15000", 1),
        },
    ),
    ("Россия, Почта", None, 0, {DeliveryKind.POST: ("350", "1", "60", "50000", 6)}),
]

POINTS = [
    # kind, region, name, address, hours, warehouse code
    (
        PickupKind.STORE,
        "77",
        "Магазин «Охрана Плюс» на Электродной",
        "г. Москва, ул. Электродная, д. 2, стр. 12",
        "пн–сб 9:00–20:00",
        "msk",
    ),
    (
        PickupKind.POINT,
        "77",
        "Пункт выдачи у м. Тверская",
        "г. Москва, ул. Тверская, д. 18, стр. 1",
        "ежедневно 10:00–21:00",
        None,
    ),
    (
        PickupKind.POINT,
        "77",
        "Пункт выдачи у м. Бауманская",
        "г. Москва, ул. Бауманская, д. 33",
        "ежедневно 9:00–22:00",
        None,
    ),
    (
        PickupKind.STORE,
        "50",
        "Склад в Москве (для Подмосковья)",
        "г. Москва, ул. Электродная, д. 2, стр. 12",
        "пн–пт 9:00–18:00",
        "msk",
    ),
    (
        PickupKind.POINT,
        "50",
        "Пункт выдачи в Химках",
        "Московская обл., г. Химки, Ленинградское ш., д. 5",
        "ежедневно 10:00–21:00",
        None,
    ),
    (
        PickupKind.POINT,
        "50",
        "Пункт выдачи в Подольске",
        "Московская обл., г. Подольск, ул. Кирова, д. 14",
        "ежедневно 10:00–20:00",
        None,
    ),
    (
        PickupKind.STORE,
        "78",
        "Склад Санкт-Петербург",
        "г. Санкт-Петербург, ул. Салова, д. 27, лит. А",
        "пн–сб 9:00–19:00",
        "spb",
    ),
    (
        PickupKind.POINT,
        "78",
        "Пункт выдачи на Невском",
        "г. Санкт-Петербург, Невский пр., д. 88",
        "ежедневно 10:00–22:00",
        None,
    ),
    (
        PickupKind.POINT,
        "78",
        "Пункт выдачи у м. Московская",
        "г. Санкт-Петербург, Московский пр., д. 189",
        "ежедневно 10:00–21:00",
        None,
    ),
]

PROMOS = [
    {
        "code": "WELCOME10",
        "kind": PromoKind.PERCENT,
        "value": Decimal("10"),
        "min_order": Decimal("3000"),
        "per_customer_limit": 1,
        "combines_with_points": True,
    },
    {
        "code": "MINUS500",
        "kind": PromoKind.FIXED,
        "value": Decimal("500"),
        "min_order": Decimal("5000"),
        "per_customer_limit": None,
        "combines_with_points": False,
    },
]


def _methods_ensure() -> dict[str, DeliveryMethod]:
    methods = {}
    for position, (kind, name, description, max_kg, max_side) in enumerate(METHODS):
        methods[kind], _ = DeliveryMethod.objects.update_or_create(
            kind=kind,
            defaults={
                "name": name,
                "description": description,
                "max_weight_kg": max_kg,
                "max_side_mm": max_side,
                "position": position,
                "is_active": True,
            },
        )
    return methods


def _zones_ensure(methods: dict[str, DeliveryMethod]) -> None:
    taken: set[str] = set()
    for name, codes, capacity, tariffs in ZONES:
        zone, _ = DeliveryZone.objects.update_or_create(name=name, defaults={"window_capacity": capacity or 1})
        regions = Region.objects.filter(code__in=codes) if codes is not None else Region.objects.exclude(code__in=taken)
        for region in regions:
            ZoneRegion.objects.update_or_create(region=region, defaults={"zone": zone})
        taken.update(codes or [])
        for kind, (cost, included, per_kg, free_from, days) in tariffs.items():
            DeliveryTariff.objects.update_or_create(
                zone=zone,
                method=methods[kind],
                defaults={
                    "cost": Decimal(cost),
                    "included_kg": Decimal(included),
                    "cost_per_kg": Decimal(per_kg),
                    "free_from": Decimal(free_from) if free_from else None,
                    "transit_days": days,
                    "is_active": True,
                },
            )


def _points_ensure() -> None:
    regions = {r.code: r for r in Region.objects.filter(code__in={p[1] for p in POINTS})}
    warehouses = {w.code: w for w in Warehouse.objects.all()}
    for kind, code, name, address, hours, warehouse in POINTS:
        PickupPoint.objects.update_or_create(
            region=regions[code],
            name=name,
            defaults={
                "kind": kind,
                "address": address,
                "hours": hours,
                "warehouse": warehouses.get(warehouse),
                "is_active": True,
            },
        )


def _promos_ensure() -> None:
    for promo in PROMOS:
        PromoCode.objects.update_or_create(code=promo["code"], defaults={**promo, "is_active": True})


def _customer_points_ensure() -> None:
    customer = get_user_model().objects.filter(email=CUSTOMER_EMAIL).first()
    if customer is not None and not PointsEntry.objects.filter(user=customer).exists():
        points_earn(user=customer, amount=CUSTOMER_POINTS, note="Приветственные баллы")


@transaction.atomic
def demo_checkout_seed() -> None:
    """Create or refresh delivery, pickup points, promo codes, the bonus programme and the customer's points."""
    _zones_ensure(_methods_ensure())
    _points_ensure()
    _promos_ensure()
    if not LoyaltyProgram.objects.exists():
        LoyaltyProgram.objects.create()
    _customer_points_ensure()
