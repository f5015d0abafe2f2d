"""Races on a real PostgreSQL: many buyers, one stock; each thread on its own connection."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Stock, StockReservation
from catalog.selectors import stock_drift
from catalog.services import StockRequest, stock_reserve
from core.testing import race
from orders.exceptions import OrderError
from orders.models import Order
from orders.tests.factories import cart_of, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_200_buyers_for_10_units_make_exactly_10_orders(moscow_delivery, stocked_product):
    camera = stocked_product(quantity=10, product__name="Камера IP-2")
    carts = [cart_of((camera, 1)) for _ in range(200)]

    results, errors = race(lambda i: place(carts[i], moscow_delivery["point"]), 200)

    assert len(results) == 10
    assert len(errors) == 190
    assert {type(e) for e in errors} == {OrderError}
    assert {e.message for e in errors} == {"«Камера IP-2» закончился"}
    assert Order.objects.count() == 10
    stock = Stock.objects.get(product=camera)
    assert (stock.quantity, stock.reserved) == (10, 10)
    assert sum(StockReservation.objects.values_list("quantity", flat=True)) == 10
    assert stock_drift() == []


def test_two_line_orders_in_opposite_order_from_50_threads_never_deadlock(moscow_delivery, stocked_product):
    camera = stocked_product(quantity=1000)
    recorder = stocked_product(quantity=1000)
    carts = [cart_of((camera, 1), (recorder, 2)) if i % 2 else cart_of((recorder, 2), (camera, 1)) for i in range(50)]

    results, errors = race(lambda i: place(carts[i], moscow_delivery["point"]), 50)

    assert errors == []
    assert len(results) == 50
    assert Stock.objects.get(product=camera).reserved == 50
    assert Stock.objects.get(product=recorder).reserved == 100
    assert stock_drift() == []


def test_the_same_cart_sent_10_times_at_once_makes_one_order(moscow_delivery, stocked_product):
    cart = cart_of((stocked_product(quantity=5), 2))

    results, errors = race(lambda i: place(cart, moscow_delivery["point"]), 10)

    assert errors == []
    assert len({order.pk for order in results}) == 1
    assert Order.objects.count() == 1
    assert stock_drift() == []


def _locks_before_writes(sql: list[str]) -> None:
    lock = next(i for i, s in enumerate(sql) if s.startswith("SELECT") and "FOR UPDATE" in s and '"catalog_stock"' in s)
    first_write = next(i for i, s in enumerate(sql) if s.startswith('UPDATE "catalog_stock"'))
    assert lock < first_write
    assert 'ORDER BY "catalog_stock"."id" ASC' in sql[lock]


@pytest.mark.parametrize("service", ["reserve", "release", "write_off", "release_expired"])
def test_every_stock_writing_service_locks_its_rows_in_key_order_before_it_writes(
    moscow_delivery, stocked_product, service
):
    import datetime

    from django.utils import timezone

    from catalog.services import stock_release, stock_release_expired, stock_write_off

    products = [stocked_product(quantity=5) for _ in range(3)]
    requests = [StockRequest(product_id=p.pk, name=p.name, quantity=1) for p in reversed(products)]
    warehouses = [moscow_delivery["warehouse"].pk]
    past = timezone.now() - datetime.timedelta(minutes=1)
    calls = {
        "reserve": lambda: stock_reserve(requests=requests, warehouse_ids=warehouses, reference="T-1", expires_at=None),
        "release": lambda: stock_release(reference="T-0"),
        "write_off": lambda: stock_write_off(reference="T-0"),
        "release_expired": lambda: stock_release_expired(),
    }
    if service != "reserve":
        stock_reserve(requests=requests, warehouse_ids=warehouses, reference="T-0", expires_at=past)

    with CaptureQueriesContext(connection) as queries:
        calls[service]()

    _locks_before_writes([q["sql"] for q in queries.captured_queries])
