from decimal import Decimal

import pytest

from catalog.models import Attribute, Category, Product, ProductAttributeValue, ProductImage, Stock
from catalog.services import product_refresh_search
from catalog.tests.factories import BrandFactory, CategoryFactory, ProductImageFactory, WarehouseFactory


@pytest.fixture
def cctv():
    """The CCTV top category (from the data migration) with an IP-camera subcategory and two filter attributes."""
    top = Category.objects.get(slug="videonablyudenie")
    sub = CategoryFactory(name="IP-камеры", slug="ip-kamery", parent=top)
    resolution = Attribute.objects.create(name="Разрешение", slug="resolution", unit="Мп")
    protocol = Attribute.objects.create(name="Питание", slug="power")
    top.filter_attributes.add(resolution, protocol)
    return sub


@pytest.fixture
def make_products(cctv):
    """Create n products in bulk (shared image, stock, two attributes), as a catalog of any size."""

    def make(n: int, *, category=None, prefix="Камера") -> list[Product]:
        category = category or cctv
        brands = [BrandFactory(name="Hikvision", slug="hikvision"), BrandFactory(name="Dahua", slug="dahua")]
        warehouse = WarehouseFactory()
        start = Product.objects.count()
        products = Product.objects.bulk_create(
            Product(
                sku=f"CAM-{start + i:05d}",
                name=f"{prefix} {brands[i % 2].name} DS-{start + i} {2 + i % 3} Мп",
                slug=f"item-{start + i}",
                category=category,
                brand=brands[i % 2],
                price=Decimal("1000.00") + i,
                popularity=i,
            )
            for i in range(n)
        )
        template = ProductImageFactory(product=products[0])
        ProductImage.objects.bulk_create(ProductImage(product=p, image=template.image.name) for p in products[1:])
        Stock.objects.bulk_create(
            Stock(product=p, warehouse=warehouse, quantity=i % 4 * 3) for i, p in enumerate(products)
        )
        resolution = Attribute.objects.get(slug="resolution")
        power = Attribute.objects.get(slug="power")
        ProductAttributeValue.objects.bulk_create(
            [
                ProductAttributeValue(product=p, attribute=resolution, value=str(2 + i % 3))
                for i, p in enumerate(products)
            ]
            + [
                ProductAttributeValue(product=p, attribute=power, value="PoE" if i % 2 else "12 В")
                for i, p in enumerate(products)
            ]
        )
        product_refresh_search(product_ids=[p.pk for p in products])
        return products

    return make
