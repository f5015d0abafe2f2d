import datetime
from decimal import Decimal

import pytest

from demo.service import demo_service_seed
from service.models import Crew, InstallationPackage, ServiceCentre, ServiceSlot, Technician
from service.pricing import ObjectSurvey
from service.selectors import free_slots, installation_estimates, zone_for_region
from service.tests.factories import region

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


def test_service_seed_makes_two_weeks_of_slots_once():
    created = demo_service_seed(today=MONDAY)
    again = demo_service_seed(today=MONDAY)

    assert again == 0
    assert created == ServiceSlot.objects.count() > 0
    assert (ServiceCentre.objects.count(), Technician.objects.count(), Crew.objects.count()) == (2, 3, 2)
    assert list(InstallationPackage.objects.values_list("name", flat=True)) == ["Базовый", "Оптимальный", "Премиум"]
    petrov = ServiceSlot.objects.filter(technician__name="Сергей Петров")
    assert petrov.count() == 10 * 3  # Mon–Fri in 14 days from Tuesday: 10 days, 3 slots of 3 hours each


def test_seeded_moscow_prices_and_estimates():
    demo_service_seed(today=MONDAY)

    zone = zone_for_region(region=region("77"))
    assert (zone.visit_fee, zone.diagnostics_fee) == (Decimal("900.00"), Decimal("1500.00"))
    survey = ObjectSurvey(object_type="apartment", area_m2=60, floors=1, goals=frozenset({"video"}))
    totals = {package.slug: estimate.one_time_total for package, estimate in installation_estimates(survey=survey)}
    # Optimal: 2 cameras 5 000 + laying 36 m 2 160 + floor 1 500 + setup 3 600 + app 1 000 + cable 1 260
    # + connectors 500 + fasteners 720. Basic: one camera and no app set-up. Premium adds the visit a month later.
    assert totals == {"basic": Decimal("11990.00"), "optimal": Decimal("15740.00"), "premium": Decimal("18240.00")}


def test_seeded_technicians_serve_moscow_and_saint_petersburg():
    demo_service_seed()

    assert free_slots(kind="visit", region=region("50"))
    assert free_slots(kind="visit", region=region("78"))
    assert free_slots(kind="visit", region=region("54")) == []
