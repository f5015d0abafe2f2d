from decimal import Decimal

import pytest

from catalog.models import Category
from catalog.tests.conftest import cctv, make_products  # noqa: F401 - the catalogue's fixtures
from catalog.tests.factories import AttributeFactory, CategoryFactory, ProductAttributeValueFactory, ProductFactory


@pytest.fixture
def cameras(cctv):  # noqa: F811
    """Three cameras with resolution, IR range, IP rating and power."""
    ir = AttributeFactory(name="ИК-подсветка", slug="ir-range", unit="м", position=5)
    ip = AttributeFactory(name="Степень защиты", slug="ip-rating", unit="", position=7)
    from catalog.models import Attribute

    resolution, power = Attribute.objects.get(slug="resolution"), Attribute.objects.get(slug="power")
    rows = [
        ("Камера А 2 Мп", "2", "30", "IP66", "PoE", Decimal("4990.00")),
        ("Камера Б 4 Мп", "4", "50", "IP67", "PoE", Decimal("7990.00")),
        ("Камера В 8 Мп", "8", "40", "IP67", "PoE", Decimal("12990.00")),
    ]
    products = []
    for name, mp, metres, rating, supply, price in rows:
        product = ProductFactory(name=name, category=cctv, price=price)
        for attribute, value in ((resolution, mp), (ir, metres), (ip, rating), (power, supply)):
            ProductAttributeValueFactory(product=product, attribute=attribute, value=value)
        products.append(product)
    return products


@pytest.fixture
def detector():
    """A smoke detector: another category than the cameras."""
    category = CategoryFactory(name="Датчики дыма", slug="datchiki-dyma", parent=Category.objects.first())
    return ProductFactory(name="Датчик дыма ИП 212", category=category, price=Decimal("890.00"))
