import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from catalog.availability import availability_status, orderable_limit, warehouse_label

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("available", "backorder_days", "label"),
    [
        (100, None, "В наличии"),
        (6, None, "В наличии"),
        (5, None, "Мало"),
        (1, None, "Мало"),
        (0, 14, "Под заказ"),
        (0, None, "Нет в наличии"),
        (-2, None, "Нет в наличии"),
    ],
)
def test_availability_status_labels(available, backorder_days, label):
    assert availability_status(available, backorder_days).label == label


def test_out_of_stock_cannot_be_ordered_but_backorder_can():
    assert not availability_status(0, None).can_order
    assert availability_status(0, 10).can_order


@pytest.mark.parametrize(
    ("days", "text"), [(1, "поставка за 1 день"), (2, "поставка за 2 дня"), (14, "поставка за 14 дней")]
)
def test_backorder_names_its_lead_time(days, text):
    assert availability_status(0, days).lead_time == text


def test_goods_in_stock_have_no_lead_time():
    assert availability_status(50, 7).lead_time == ""


def test_a_service_is_not_goods_whatever_its_stock():
    status = availability_status(0, 2, is_service=True)
    assert (status.label, status.can_order, status.is_goods, status.lead_time) == ("Услуга", True, False, "")


@pytest.mark.parametrize(
    ("available", "backorder_days", "is_service", "limit"),
    [(3, None, False, 3), (0, None, False, 0), (-1, None, False, 0), (3, 7, False, None), (0, None, True, None)],
)
def test_orderable_limit(available, backorder_days, is_service, limit):
    assert orderable_limit(available, backorder_days, is_service=is_service) == limit


@pytest.mark.parametrize(
    ("quantity", "reserved", "label"), [(50, 0, "много"), (6, 1, "5 шт."), (3, 3, "нет"), (0, 0, "нет")]
)
def test_warehouse_label_counts_units_free_to_sell(quantity, reserved, label):
    assert warehouse_label(SimpleNamespace(quantity=quantity, reserved=reserved)) == label


# Stock arithmetic and stock-label decisions that would bypass the one policy (keeping the units the policy's
# query gave, `x.available = units`, decides nothing).
COMPUTES_AVAILABILITY = re.compile(
    r"""F\(["']reserved["']\)|quantity\s*-\s*\S*reserved|\.available\s*(?:[<>]|[=!]=)|availability_status\("""
    r"""|\bavailable__(?:gt|gte|lt|lte)\b"""
)


@pytest.mark.parametrize(
    ("line", "computes"),
    [
        ("if product.available > 0:", True),
        ("ok = line.available >= quantity", True),
        ("if stock.available == 0:", True),
        ("if stock.available != 0:", True),
        ("units = stock.quantity - stock.reserved", True),
        ("product.available = available", False),
        ("return product.available", False),
    ],
)
def test_the_guard_tells_a_decision_from_keeping_the_policys_figure(line, computes):
    assert bool(COMPUTES_AVAILABILITY.search(line)) is computes


TEMPLATE_COMPUTES = re.compile(r"\.available\b|\.reserved\b|availability\.code\s*==")


def test_nothing_but_the_availability_module_computes_availability():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "bench"} or {"tests", "migrations"} & set(rel.parts):
            continue
        # The policy, and the stock services whose conditional UPDATEs are the counters' arithmetic.
        if rel in (Path("catalog/availability.py"), Path("catalog/services.py"), Path("catalog/changes.py")):
            continue
        if COMPUTES_AVAILABILITY.search(path.read_text(encoding="utf-8")):
            offenders.append(str(rel))
    for path in (ROOT / "templates").rglob("*.html"):
        if TEMPLATE_COMPUTES.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_free_unit_rows_sum_to_what_with_availability_and_in_stock_q_say_expired_reservations_included():
    from datetime import timedelta

    from django.utils import timezone

    from catalog.availability import free_unit_rows, in_stock_q, with_availability
    from catalog.models import Product, StockReservation
    from catalog.tests.factories import ProductFactory, StockFactory, WarehouseFactory

    open_warehouse = WarehouseFactory(code="msk")
    closed = WarehouseFactory(code="spb", is_active=False)
    free = StockFactory(warehouse=open_warehouse, quantity=2).product
    StockFactory(warehouse=open_warehouse, quantity=2, reserved=2)  # all reserved: not in stock
    released = StockFactory(warehouse=open_warehouse, quantity=2, reserved=2)  # its reservation expired
    StockReservation.objects.create(
        stock=released, quantity=1, reference="2026-000001", expires_at=timezone.now() - timedelta(minutes=1)
    )
    held = StockFactory(warehouse=open_warehouse, quantity=2, reserved=2)  # its reservation still holds
    StockReservation.objects.create(
        stock=held, quantity=2, reference="2026-000002", expires_at=timezone.now() + timedelta(minutes=5)
    )
    StockFactory(warehouse=closed, quantity=5)  # only in a closed warehouse
    both = StockFactory(warehouse=open_warehouse, quantity=3, reserved=1)
    StockFactory(warehouse=WarehouseFactory(code="ekb"), product=both.product, quantity=4)
    hidden = StockFactory(warehouse=open_warehouse, quantity=5).product
    Product.objects.filter(pk=hidden.pk).update(is_active=False)
    ProductFactory()  # no stock at all

    units: dict[int, int] = {}
    for product_id, free_units in free_unit_rows():
        units[product_id] = units.get(product_id, 0) + free_units
    units.pop(hidden.pk)  # a product off sale is counted too: no listing shows it
    expected = sorted(Product.objects.filter(is_active=True).filter(in_stock_q()).values_list("pk", flat=True))
    assert sorted(units) == expected == sorted([free.pk, released.product_id, both.product_id])
    annotated = with_availability(Product.objects.filter(is_active=True)).values_list("pk", "available")
    assert units == {pk: available for pk, available in annotated if available > 0}
    assert units[both.product_id] == 6 and units[released.product_id] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("listed", [1, 2, 3])
def test_free_unit_rows_of_listed_ids_are_the_querysets_and_take_the_time_of_each_call(monkeypatch, listed):
    from datetime import timedelta

    from django.utils import timezone

    from catalog.availability import _free_units, free_unit_rows
    from catalog.models import StockReservation
    from catalog.tests.factories import StockFactory, WarehouseFactory

    msk, spb = WarehouseFactory(code="msk"), WarehouseFactory(code="spb")
    plain = StockFactory(warehouse=msk, quantity=3, reserved=1)
    held = StockFactory(warehouse=msk, quantity=2, reserved=2)
    StockReservation.objects.create(
        stock=held, quantity=2, reference="2026-000009", expires_at=timezone.now() + timedelta(minutes=5)
    )
    StockFactory(warehouse=spb, product=plain.product, quantity=7)
    warehouses = [msk.pk, spb.pk][: 1 + listed % 2]
    products = [plain.product_id, held.product_id, StockFactory(warehouse=msk, quantity=0).product_id][:listed]

    for _ in range(2):  # compiled on the first call, bound on the second
        rows = free_unit_rows(warehouse_ids=warehouses, product_ids=products)
        assert sorted(rows) == sorted(_free_units(warehouses, products))
    assert (held.product_id, 2) not in rows

    later = timezone.now() + timedelta(minutes=10)
    monkeypatch.setattr(timezone, "now", lambda: later)
    rows = free_unit_rows(warehouse_ids=warehouses, product_ids=products)

    assert sorted(rows) == sorted(_free_units(warehouses, products))
    assert ((held.product_id, 2) in rows) == (listed >= 2)  # the reservation ran out since: its units are free


@pytest.mark.django_db
def test_free_unit_rows_of_a_long_list_of_ids_are_the_querysets():
    # As many ids as the configurator asks for on SQLite: their stand-ins must not meet the warehouses'.
    from catalog.availability import _free_units, free_unit_rows
    from catalog.tests.factories import StockFactory, WarehouseFactory

    msk = WarehouseFactory(code="msk")
    listed = [StockFactory(warehouse=msk, quantity=2).product_id for _ in range(3)]
    products = [*listed, *range(10**8, 10**8 + 247)]

    rows = free_unit_rows(warehouse_ids=[msk.pk], product_ids=products)

    assert sorted(rows) == sorted(_free_units([msk.pk], products)) == sorted((pk, 2) for pk in listed)
