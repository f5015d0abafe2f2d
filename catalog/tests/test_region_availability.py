"""Units a region's warehouses hold and how soon a line can leave them."""

import pytest

from catalog.availability import lead_days, lead_label, serving_warehouse_ids, with_region_availability
from catalog.models import Product
from catalog.tests.factories import ProductFactory, StockFactory, WarehouseFactory
from core.models import Region


@pytest.mark.parametrize(
    ("in_region", "quantity", "backorder_days", "is_service", "days"),
    [
        (5, 5, None, False, 1),
        (5, 6, None, False, None),
        (0, 1, 7, False, 7),
        (3, 4, 10, False, 10),
        (0, 3, None, True, 1),
    ],
)
def test_lead_days(in_region, quantity, backorder_days, is_service, days):
    assert (
        lead_days(in_region=in_region, quantity=quantity, backorder_days=backorder_days, is_service=is_service) == days
    )


@pytest.mark.parametrize(
    ("days", "label"), [(1, "завтра"), (2, "через 2 дня"), (5, "через 5 дней"), (21, "через 21 день")]
)
def test_lead_label(days, label):
    assert lead_label(days) == label


@pytest.mark.django_db
def test_only_the_warehouses_serving_a_region_count():
    moscow, spb, novosibirsk = (Region.objects.get(code=c) for c in ("77", "78", "54"))
    msk = WarehouseFactory(code="msk")
    msk.regions.set([moscow])
    spb_wh = WarehouseFactory(code="spb", name="Склад СПб", city="Санкт-Петербург")
    spb_wh.regions.set([spb])
    WarehouseFactory(code="old", name="Закрытый склад", is_active=False).regions.set([moscow])
    product = ProductFactory()
    StockFactory(product=product, warehouse=msk, quantity=2)
    StockFactory(product=product, warehouse=spb_wh, quantity=7, reserved=1)

    def in_region(region):
        ids = serving_warehouse_ids(region_id=region.pk)
        return with_region_availability(Product.objects.filter(pk=product.pk), warehouse_ids=ids).get()

    assert serving_warehouse_ids(region_id=moscow.pk) == [msk.pk]
    assert in_region(moscow).available_in_region == 2
    assert in_region(spb).available_in_region == 6
    # A region no warehouse is assigned to is shipped to from all active ones.
    assert serving_warehouse_ids(region_id=novosibirsk.pk) == [msk.pk, spb_wh.pk]
    assert in_region(novosibirsk).available_in_region == 8
