"""The reservation's counter write: every row of an order by one conditional UPDATE, or none of them."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.models import Stock
from catalog.services import StockRequest, stock_reserve
from catalog.tests.factories import StockFactory

pytestmark = pytest.mark.django_db


def test_each_row_takes_its_own_units_when_all_have_them_free():
    first, second = StockFactory(quantity=5, reserved=1), StockFactory(quantity=2)

    assert Stock.objects.reserved_take_each([(first, 3), (second, 2)])

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.reserved, second.reserved) == (4, 2)


def test_one_row_short_refuses_the_write_and_the_transaction_undoes_the_rest():
    first, second = StockFactory(quantity=5), StockFactory(quantity=2)

    with transaction.atomic():
        taken = Stock.objects.reserved_take_each([(first, 1), (second, 3)])
        transaction.set_rollback(True)

    assert not taken
    assert list(Stock.objects.order_by("pk").values_list("reserved", flat=True)) == [0, 0]


def test_an_order_of_three_products_reserves_them_by_one_counter_write():
    stocks = [StockFactory(quantity=10) for _ in range(3)]
    warehouse_ids = list({stock.warehouse_id for stock in stocks})
    requests = [StockRequest(product_id=s.product_id, name=s.product.name, quantity=2) for s in stocks]

    with CaptureQueriesContext(connection) as queries:
        reservations = stock_reserve(requests=requests, warehouse_ids=warehouse_ids, reference="R-1", expires_at=None)

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "catalog_stock"')]
    assert len(writes) == 1
    assert sorted(r.quantity for r in reservations) == [2, 2, 2]
    assert list(Stock.objects.order_by("pk").values_list("reserved", flat=True)) == [2, 2, 2]
