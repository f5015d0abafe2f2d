import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.models import Region
from orders.models import Order, OrderLine, OrderStatus
from service.models import (
    Crew,
    EstimateRule,
    InstallationPackage,
    InstallationRequest,
    RepairRequest,
    ServiceCentre,
    ServiceSlot,
    ServiceZone,
    SlotKind,
    Technician,
)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def staff_with(codename: str):
    """A staff member whose role gives one permission of the service app, e.g. view_repairrequest."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="service", codename=codename))
    return user


def tomorrow_at(hour: int, days: int = 1) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class ServiceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCentre

    name = factory.Sequence(lambda n: f"Сервис-центр {n}")
    region = factory.LazyFunction(lambda: region("77"))
    address = "г. Москва, ул. Электродная, д. 2"


class TechnicianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technician
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Техник {n}")

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create:
            obj.regions.set(extracted if extracted is not None else [region("77")])


class CrewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Crew
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Бригада {n}")

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create:
            obj.regions.set(extracted if extracted is not None else [region("77")])


class ServiceSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceSlot

    kind = SlotKind.VISIT
    technician = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == SlotKind.VISIT), factory.SubFactory(TechnicianFactory), None
    )
    centre = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind in (SlotKind.INTAKE, SlotKind.COURIER)),
        factory.SubFactory(ServiceCentreFactory),
        None,
    )
    crew = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == SlotKind.INSTALL), factory.SubFactory(CrewFactory), None
    )
    starts_at = factory.LazyFunction(lambda: tomorrow_at(9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    capacity = 1


class ServiceZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceZone
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Зона {n}")
    visit_fee = Decimal("900.00")
    diagnostics_fee = Decimal("1500.00")

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create:
            obj.regions.set(extracted if extracted is not None else [region("77")])


class InstallationPackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstallationPackage
        django_get_or_create = ("slug",)

    name = "Оптимальный"
    slug = "optimal"
    coverage = Decimal("1.00")
    includes = "Камеры по числу зон\nНастройка приложения"


class EstimateRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EstimateRule

    section = "works"
    name = "Монтаж камеры"
    basis = "device"
    goal = "video"
    area_per_device = Decimal("50")
    price = Decimal("2500.00")


class RepairRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepairRequest

    number = factory.Sequence(lambda n: f"R-{900000 + n:06d}")
    user = factory.SubFactory(UserFactory)
    region = factory.LazyFunction(lambda: region("77"))
    contact_name = "Ирина"
    contact_phone = "+79161234567"
    equipment_model = "IP-камера 4 Мп"
    source = "ours"
    symptoms = ["no_image"]
    format = "visit"
    address = "г. Москва, ул. Тверская, д. 7"


class InstallationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstallationRequest

    number = factory.Sequence(lambda n: f"U-{900000 + n:06d}")
    user = factory.SubFactory(UserFactory)
    region = factory.LazyFunction(lambda: region("77"))
    contact_name = "Ирина"
    contact_phone = "+79161234567"
    area_m2 = 80
    floors = 1
    goals = ["video"]
    desired_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))
    package = factory.SubFactory(InstallationPackageFactory)
    address = "г. Москва, ул. Тверская, д. 7"


def bought(user, *, days_ago: int, warranty_months: int = 12, status=OrderStatus.PAID) -> OrderLine:
    """A paid order of the user with one camera under its serial number SN-0042: «Мои покупки»."""
    paid_at = timezone.now() - datetime.timedelta(days=days_ago)
    order = Order.objects.create(
        number=f"2026-{OrderLine.objects.count() + 1:06d}",
        user=user,
        status=status,
        payment_method="card",
        delivery_kind="pickup",
        delivery_name="Самовывоз",
        goods=Decimal("6990"),
        total=Decimal("6990"),
        vat=Decimal("1165"),
        paid_at=paid_at,
    )
    return OrderLine.objects.create(
        order=order,
        name="IP-камера HiWatch DS-I450M 4 Мп",
        sku="HW-DS-I450M-28",
        price=Decimal("6990"),
        quantity=1,
        gross=Decimal("6990"),
        total=Decimal("6990"),
        vat=Decimal("1165"),
        warranty_months=warranty_months,
        serial_numbers="SN-0042",
    )
