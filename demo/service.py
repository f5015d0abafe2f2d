"""Demo data for repair and installation: centres, technicians, crews, slots, fees, estimate rules, packages."""

import datetime
from decimal import Decimal

from django.db import transaction

from catalog.models import ObjectType
from core.models import Region
from service.models import (
    Crew,
    EstimateRule,
    InstallationPackage,
    ServiceCentre,
    ServiceZone,
    Technician,
)
from service.services import service_slots_generate

SLOT_DAYS = 14
MOSCOW = ["77", "50"]
SPB = ["78", "47"]

ZONES = [
    # name, regions, visit fee, diagnostics fee
    ("Москва и Московская область", MOSCOW, "900", "1500"),
    ("Санкт-Петербург и Ленинградская область", SPB, "1100", "1500"),
]

CENTRES = [
    # name, region, address
    ("Сервис-центр на Электродной", "77", "г. Москва, ул. Электродная, д. 2, стр. 12"),
    ("Сервис-центр на Выборгской", "78", "г. Санкт-Петербург, Выборгская наб., д. 61"),
]

TECHNICIANS = [
    # name, phone, regions, work days
    ("Сергей Петров", "+79031112233", MOSCOW, "12345"),
    ("Алексей Смирнов", "+79032223344", MOSCOW, "23456"),
    ("Дмитрий Козлов", "+79213334455", SPB, "12345"),
]

CREWS = [
    # name, leader, regions
    ("Бригада Иванова", "Николай Иванов", MOSCOW),
    ("Бригада Волкова", "Павел Волков", SPB),
]

PACKAGES = [
    (
        "basic",
        "Базовый",
        "0.60",
        "Устройства на главные зоны: вход и ценности\nНастройка и проверка системы\nГарантия на монтаж 6 месяцев",
    ),
    (
        "optimal",
        "Оптимальный",
        "1.00",
        "Полное покрытие объекта\nОблачная запись 7 дней\nНастройка приложения на 2 телефона\n"
        "Гарантия на монтаж 12 месяцев",
    ),
    (
        "premium",
        "Премиум",
        "1.50",
        "Перекрытие слепых зон и периметра\nОблачная запись 30 дней и удалённый доступ\n"
        "Обучение и выезд через месяц\nГарантия на монтаж 24 месяца",
    ),
]

ALL = ()
PAID_EXTRAS = ("optimal", "premium")
PREMIUM_ONLY = ("premium",)

RULES = [
    # section, name, basis, price, quantity, unit, goal, object type, m² per device, packages, hourly
    ("works", "Монтаж камеры", "device", "2500", "1", "шт", "video", "", "50", ALL, False),
    ("works", "Монтаж датчика сигнализации", "device", "900", "1", "шт", "alarm", "", "25", ALL, False),
    ("works", "Монтаж считывателя и замка", "device", "4500", "1", "шт", "access", "", "150", ALL, False),
    ("works", "Монтаж датчика протечки или дыма", "device", "700", "1", "шт", "sensors", "", "40", ALL, False),
    ("works", "Прокладка кабеля", "m2", "60", "0.60", "м", "", "", None, ALL, False),
    ("works", "Межэтажная трасса", "floor", "1500", "1", "этаж", "", "", None, ALL, False),
    ("works", "Монтаж на высоте (склад)", "fixed", "6000", "1", "объект", "", "warehouse", None, ALL, False),
    ("works", "Настройка и пусконаладка", "fixed", "1800", "2", "ч", "", "", None, ALL, True),
    ("works", "Настройка приложения на телефоны", "fixed", "1000", "1", "усл.", "", "", None, PAID_EXTRAS, False),
    (
        "works",
        "Выезд через месяц: проверка и обучение",
        "fixed",
        "2500",
        "1",
        "усл.",
        "",
        "",
        None,
        PREMIUM_ONLY,
        False,
    ),
    ("materials", "Кабель UTP и питания", "m2", "35", "0.60", "м", "", "", None, ALL, False),
    ("materials", "Разъёмы и коробки", "device", "250", "1", "компл.", "video", "", "50", ALL, False),
    ("materials", "Крепёж и кабель-канал", "m2", "12", "1", "м²", "", "", None, ALL, False),
    ("extras", "Облачная запись", "monthly", "490", "1", "мес", "video", "", None, PAID_EXTRAS, False),
    ("extras", "Удалённый доступ и уведомления", "monthly", "290", "1", "мес", "", "", None, PREMIUM_ONLY, False),
]


def _regions(codes) -> list[Region]:
    return list(Region.objects.filter(code__in=codes))


@transaction.atomic
def demo_service_seed(*, today: datetime.date | None = None) -> int:
    """Create or refresh the service set-up; returns the number of slots added. Running it again adds nothing twice."""
    for name, codes, visit_fee, diagnostics_fee in ZONES:
        zone, _ = ServiceZone.objects.update_or_create(
            name=name, defaults={"visit_fee": Decimal(visit_fee), "diagnostics_fee": Decimal(diagnostics_fee)}
        )
        zone.regions.set(_regions(codes))
    centres = {}
    for name, code, address in CENTRES:
        centres[code], _ = ServiceCentre.objects.update_or_create(
            name=name,
            defaults={
                "region": Region.objects.get(code=code),
                "address": address,
                "work_days": "123456",
                "work_start": datetime.time(10),
                "work_end": datetime.time(19),
                "slot_minutes": 180,
                "slot_capacity": 4,
                "courier_capacity": 2,
            },
        )
    for name, phone, codes, days in TECHNICIANS:
        technician, _ = Technician.objects.update_or_create(
            name=name,
            defaults={
                "phone": phone,
                "centre": centres[codes[0]],
                "work_days": days,
                "work_start": datetime.time(9),
                "work_end": datetime.time(18),
                "slot_minutes": 180,
                "slot_capacity": 1,
            },
        )
        technician.regions.set(_regions(codes))
    for name, leader, codes in CREWS:
        crew, _ = Crew.objects.update_or_create(
            name=name,
            defaults={
                "leader": leader,
                "work_days": "123456",
                "work_start": datetime.time(9),
                "work_end": datetime.time(17),
                "slot_minutes": 240,
                "slot_capacity": 1,
            },
        )
        crew.regions.set(_regions(codes))
    packages = {}
    for position, (slug, name, coverage, includes) in enumerate(PACKAGES, start=1):
        packages[slug], _ = InstallationPackage.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "coverage": Decimal(coverage), "includes": includes, "position": position},
        )
    object_types = {o.slug: o for o in ObjectType.objects.all()}
    for position, row in enumerate(RULES):
        section, name, basis, price, quantity, unit, goal, object_type, per_device, package_slugs, hourly = row
        rule, _ = EstimateRule.objects.update_or_create(
            name=name,
            defaults={
                "section": section,
                "basis": basis,
                "price": Decimal(price),
                "quantity": Decimal(quantity),
                "unit": unit,
                "goal": goal,
                "object_type": object_types.get(object_type),
                "area_per_device": Decimal(per_device) if per_device else None,
                "hourly": hourly,
                "position": position,
            },
        )
        rule.packages.set([packages[slug] for slug in package_slugs])
    return service_slots_generate(days=SLOT_DAYS, today=today)
