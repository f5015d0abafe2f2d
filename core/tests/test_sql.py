"""Querysets compiled once per process: the rows are the queryset's, whatever the request's values."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from catalog.models import Product, StockReservation
from catalog.tests.factories import ProductFactory, StockFactory
from core.sql import id_standins, id_values, prepare

pytestmark = pytest.mark.django_db


def _reservations(ids, now):
    return (
        StockReservation.objects.filter(stock__product_id__in=ids, expires_at__lte=now)
        .order_by("pk")
        .values_list("pk", "quantity", "expires_at")
    )


def _prepared(count):
    return prepare(
        lambda **ids: _reservations(list(ids.values()), timezone.now()),
        using="default",
        with_now=True,
        **id_standins(count),
    )


def test_rows_are_those_of_the_queryset_for_each_request_values():
    products = ProductFactory.create_batch(3)
    now = timezone.now()
    for n, product in enumerate(products):
        stock = StockFactory(product=product, quantity=5, reserved=2)
        StockReservation.objects.create(
            stock=stock, quantity=2, expires_at=now - timedelta(minutes=n), reference=f"r{n}"
        )
    prepared = _prepared(2)
    for ids in ([products[0].pk, products[1].pk], [products[2].pk, products[0].pk]):
        assert prepared.rows("default", **id_values(ids)) == list(_reservations(ids, timezone.now()))


def test_now_is_the_time_of_each_call_not_of_the_compilation():
    stock = StockFactory(product=ProductFactory(), quantity=5, reserved=1)
    prepared = _prepared(1)
    StockReservation.objects.create(stock=stock, quantity=1, expires_at=timezone.now(), reference="late")
    assert [row[1] for row in prepared.rows("default", **id_values([stock.product_id]))] == [1]


def test_a_standin_that_the_parameters_do_not_hold_is_refused():
    with pytest.raises(ImproperlyConfigured, match="missing"):
        prepare(lambda missing: Product.objects.filter(pk=1).values_list("pk"), using="default", missing=-5)


def test_a_call_is_one_query_as_the_budgets_count_it(django_assert_num_queries):
    prepared = _prepared(1)
    with django_assert_num_queries(1):
        prepared.rows("default", **id_values([1]))


@pytest.mark.postgres
def test_the_statement_is_prepared_once_on_the_connection_after_a_few_runs():
    product = ProductFactory()
    prepared = _prepared(4)  # a statement of its own: no other test prepares it on this connection
    ids = [product.pk, -1, -2, -3]
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    assert threshold is not None
    before = _prepared_statements()
    for _ in range(threshold):
        prepared.rows("default", **id_values(ids))
    assert _prepared_statements() == before
    for _ in range(3):
        prepared.rows("default", **id_values(ids[::-1]))
    assert _prepared_statements() == before + 1


@pytest.mark.postgres
def test_without_prepared_statements_the_reads_run_unprepared(monkeypatch):
    # DATABASE_PREPARED_STATEMENTS=false: behind a pooler that cannot keep them.
    product = ProductFactory()
    stock = StockFactory(product=product, quantity=5, reserved=1)
    StockReservation.objects.create(stock=stock, quantity=1, expires_at=timezone.now(), reference="r")
    prepared = _prepared(3)  # a statement of its own: no other test prepares it on this connection
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    before = _prepared_statements()
    for _ in range(10):
        assert [row[1] for row in prepared.rows("default", **id_values([product.pk, -1, -2]))] == [1]
    assert _prepared_statements() == before


def _prepared_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("microsecond", [0, 1, 123456, 999999])
def test_the_database_counts_an_edit_time_in_microseconds_exactly_as_python(microsecond):
    from datetime import UTC, datetime

    from core.sql import EpochMicroseconds, epoch_microseconds

    moment = datetime(2026, 12, 6, 22, 41, 7, microsecond, tzinfo=UTC)
    product = ProductFactory()
    Product.objects.filter(pk=product.pk).update(updated_at=moment)
    counted = Product.objects.filter(pk=product.pk).annotate(edited=EpochMicroseconds("updated_at"))
    expected = 1_796_596_867_000_000 + microsecond
    assert counted.values_list("edited", flat=True).get() == epoch_microseconds(moment) == expected


def test_reads_together_give_each_one_its_own_rows_in_order_counted_one_query_each(django_assert_num_queries):
    from core.sql import rows_together

    products = ProductFactory.create_batch(2)
    now = timezone.now()
    for n, product in enumerate(products):
        stock = StockFactory(product=product, quantity=5, reserved=2)
        StockReservation.objects.create(stock=stock, quantity=2, expires_at=now, reference=f"t{n}")
    one, two = _prepared(1), _prepared(2)
    calls = [(one, id_values([products[1].pk])), (two, id_values([p.pk for p in products])), (one, id_values([-1]))]
    expected = [prepared.rows("default", **values) for prepared, values in calls]
    assert [len(rows) for rows in expected] == [1, 2, 0]
    with django_assert_num_queries(3):
        assert rows_together("default", calls) == expected


@pytest.mark.postgres
def test_reads_together_go_to_postgresql_in_one_pipeline(monkeypatch):
    import psycopg

    from core.sql import rows_together

    pipelines = []
    real = psycopg.Connection.pipeline
    monkeypatch.setattr(psycopg.Connection, "pipeline", lambda self: pipelines.append(1) or real(self))
    prepared = _prepared(1)
    assert rows_together("default", [(prepared, id_values([1])), (prepared, id_values([2]))]) == [[], []]
    assert pipelines == [1]


def test_two_standins_of_one_value_are_refused():
    with pytest.raises(ImproperlyConfigured, match="share a value"):
        prepare(
            lambda first, second: Product.objects.filter(pk__in=[first, second]).values_list("pk"),
            using="default",
            first=-5,
            second=-5,
        )
