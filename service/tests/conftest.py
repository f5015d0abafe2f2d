import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.factories import UserFactory
from service.tests.factories import (
    CrewFactory,
    EstimateRuleFactory,
    InstallationPackageFactory,
    ServiceCentreFactory,
    ServiceSlotFactory,
    ServiceZoneFactory,
    TechnicianFactory,
    region,
    tomorrow_at,
)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def customer(client):
    """A signed-in customer from Moscow."""
    user = UserFactory(region=region("77"))
    client.force_login(user)
    return user


@pytest.fixture
def moscow_service():
    """Moscow: zone fees 900 ₽ visit and 1 500 ₽ diagnostics, a technician, a centre, a crew, one slot each."""
    zone = ServiceZoneFactory()
    technician = TechnicianFactory(name="Сергей Петров")
    centre = ServiceCentreFactory(name="Сервис-центр на Электродной")
    crew = CrewFactory(name="Бригада Иванова")
    return {
        "zone": zone,
        "technician": technician,
        "centre": centre,
        "crew": crew,
        "visit_slot": ServiceSlotFactory(technician=technician, starts_at=tomorrow_at(9)),
        "intake_slot": ServiceSlotFactory(kind="intake", centre=centre, starts_at=tomorrow_at(12), capacity=3),
        "install_slot": ServiceSlotFactory(kind="install", crew=crew, starts_at=tomorrow_at(9, days=3)),
    }


@pytest.fixture
def packages_and_rules():
    basic = InstallationPackageFactory(slug="basic", name="Базовый", coverage=Decimal("0.6"), position=1)
    optimal = InstallationPackageFactory(slug="optimal", name="Оптимальный", coverage=Decimal("1"), position=2)
    premium = InstallationPackageFactory(slug="premium", name="Премиум", coverage=Decimal("1.5"), position=3)
    EstimateRuleFactory()
    EstimateRuleFactory(name="Настройка", basis="fixed", goal="", area_per_device=None, price=Decimal("3000"))
    cloud = EstimateRuleFactory(
        section="extras", name="Облачная запись", basis="monthly", area_per_device=None, price=Decimal("490")
    )
    cloud.packages.set([premium])
    return {"basic": basic, "optimal": optimal, "premium": premium}
