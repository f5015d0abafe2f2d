"""Availability: the one policy that decides how many units can be sold and what a customer is told.

Units free to sell are on hand minus reserved, summed over active warehouses. Every page, the cart
and checkout read availability through this module; nothing else computes it.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import router
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.sql import Prepared, id_standins, id_values, prepare
from core.text import plural


@dataclass(frozen=True)
class Availability:
    code: str
    label: str
    lead_days: int | None = None

    @property
    def can_order(self) -> bool:
        return self.code != "out"

    @property
    def is_goods(self) -> bool:
        return self.code != "service"

    @property
    def lead_time(self) -> str:
        """«поставка за 2 дня» for goods under order; empty otherwise."""
        if self.code != "backorder" or not self.lead_days:
            return ""
        return f"поставка за {plural(self.lead_days, 'день', 'дня', 'дней')}"


IN_STOCK = Availability("in_stock", "В наличии")
LOW = Availability("low", "Мало")
OUT = Availability("out", "Нет в наличии")
SERVICE = Availability("service", "Услуга")


def backorder(days: int) -> Availability:
    return Availability("backorder", "Под заказ", lead_days=days)


def availability_status(available: int, backorder_days: int | None, *, is_service: bool = False) -> Availability:
    """Turn the units free to sell into the status a customer sees."""
    if is_service:
        return SERVICE
    if available > settings.CATALOG_LOW_STOCK:
        return IN_STOCK
    if available > 0:
        return LOW
    if backorder_days:
        return backorder(backorder_days)
    return OUT


def status_units_cap() -> int:
    """The most units free to sell that `availability_status` tells apart: any more say the same."""
    return settings.CATALOG_LOW_STOCK + 1


def statuses(units, backorder_days, services) -> list[Availability]:
    """The status of each product from its units free to sell, lead time and service flag (parallel lists)."""
    return [
        availability_status(free, days, is_service=service)
        for free, days, service in zip(units, backorder_days, services, strict=True)
    ]


def orderable_limit(available: int, backorder_days: int | None, *, is_service: bool = False) -> int | None:
    """The most units one order may take: None when not limited by stock (services, goods under order)."""
    if is_service or backorder_days:
        return None
    return max(available, 0)


def product_status(product) -> Availability:
    """The status of a product annotated by `with_availability`."""
    return availability_status(product.available, product.backorder_days, is_service=product.is_service)


def line_status(line) -> Availability:
    """The status of a line's product (a cart line annotated by `with_availability(product_ref="product_id")`)."""
    product = line.product
    return availability_status(line.available, product.backorder_days, is_service=product.is_service)


def units_free(quantity: int, reserved: int) -> int:
    """Units free to sell of a stock row with these counters."""
    return max(quantity - reserved, 0)


def stock_free(stock) -> int:
    """Units of one stock row free to sell (`expired_held`, when annotated, no longer counts as reserved)."""
    return units_free(stock.quantity, stock.reserved - (getattr(stock, "expired_held", 0) or 0))


def warehouse_label(stock) -> str:
    """What a product page says of one warehouse: «много», «3 шт.» or «нет»."""
    free = stock_free(stock)
    if free > settings.CATALOG_LOW_STOCK:
        return "много"
    return f"{free} шт." if free else "нет"


def _active_warehouse() -> Q:
    return Q(warehouse__is_active=True)


def expired_held_q(now=None) -> Q:
    """Reservations still counted in `Stock.reserved` whose time is up: they no longer hold anything."""
    from catalog.models import ReservationState

    return Q(state=ReservationState.HELD, expires_at__isnull=False, expires_at__lte=now or timezone.now())


def expired_held_subquery(*, stock_ref: str = "pk", now=None):
    """Units of the outer stock row held by reservations that have expired but were not yet released."""
    from catalog.models import StockReservation

    return Coalesce(
        Subquery(
            StockReservation.objects.filter(expired_held_q(now), stock=OuterRef(stock_ref))
            .values("stock")
            .annotate(total=Sum("quantity"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_expired_held(stocks: QuerySet) -> QuerySet:
    """Annotate stock rows with `expired_held`, so `stock_free` counts only live reservations."""
    return stocks.annotate(expired_held=expired_held_subquery())


def available_subquery(product_ref: str = "pk", *, warehouse_ids: list[int] | None = None):
    """Units free to sell of the outer product (its id is `product_ref` of the outer row), over active
    warehouses (or only the given ones).

    On hand minus live reservations: the counter `reserved` with the expired reservations added back.
    """
    from catalog.models import Stock, StockReservation

    stocks = Stock.objects.filter(_active_warehouse(), product=OuterRef(product_ref))
    expired = StockReservation.objects.filter(
        expired_held_q(), stock__warehouse__is_active=True, stock__product=OuterRef(product_ref)
    )
    if warehouse_ids is not None:
        stocks = stocks.filter(warehouse_id__in=warehouse_ids)
        expired = expired.filter(stock__warehouse_id__in=warehouse_ids)
    counted = Coalesce(
        Subquery(
            stocks.values("product").annotate(total=Sum(F("quantity") - F("reserved"))).values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )
    released = Coalesce(
        Subquery(
            expired.values("stock__product").annotate(total=Sum("quantity")).values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )
    return counted + released


def with_availability(queryset: QuerySet, *, product_ref: str = "pk") -> QuerySet:
    """Annotate each row with `available`, the units free to sell; `product_ref` names the product's id
    in rows that are not products themselves ("product_id" for cart lines)."""
    return queryset.annotate(available=available_subquery(product_ref))


def orderable_q(*, product_prefix: str = "") -> Q:
    """Rows annotated by `with_availability` whose product can be ordered: units free to sell, goods under
    order, or a service (what `availability_status` calls anything but «Нет в наличии»). `product_prefix`
    leads from the rows to the product ("product__" for cart lines)."""
    return (
        Q(available__gt=0)
        | Q(**{f"{product_prefix}backorder_days__gt": 0})
        | Q(**{f"{product_prefix}is_service": True})
    )


def in_stock_q() -> Q:
    """Products that have at least one unit free to sell."""
    from catalog.models import Stock

    stocks = Stock.objects.filter(_active_warehouse(), product=OuterRef("pk")).annotate(
        expired_held=expired_held_subquery()
    )
    return Q(Exists(stocks.filter(quantity__gt=F("reserved") - F("expired_held"))))


def free_unit_rows(*, warehouse_ids: list[int] | None = None, product_ids=None) -> list[tuple[int, int]]:
    """Rows of (product id, units) whose sum per product is its units free to sell (what `available_subquery`
    gives it), in one query of two plain scans: the free units of each stock row of an active warehouse that
    has any, and the units of each expired reservation still counted as reserved. Products off sale are not
    left out; `warehouse_ids` and `product_ids` (ids or a subquery of them) narrow the rows."""
    if isinstance(warehouse_ids, list) and isinstance(product_ids, list) and warehouse_ids and product_ids:
        from catalog.models import Stock

        alias = router.db_for_read(Stock)
        query = _free_units_query(alias, len(warehouse_ids), len(product_ids))
        return query.rows(alias, **_warehouse_values(warehouse_ids), **id_values(product_ids))
    return list(_free_units(warehouse_ids, product_ids))


def _free_units(warehouse_ids, product_ids) -> QuerySet:
    from catalog.models import Stock, StockReservation

    stocks = Stock.objects.filter(_active_warehouse(), quantity__gt=F("reserved"))
    expired = StockReservation.objects.filter(expired_held_q(), stock__warehouse__is_active=True)
    if warehouse_ids is not None:
        stocks = stocks.filter(warehouse_id__in=warehouse_ids)
        expired = expired.filter(stock__warehouse_id__in=warehouse_ids)
    if product_ids is not None:
        stocks = stocks.filter(product_id__in=product_ids)
        expired = expired.filter(stock__product_id__in=product_ids)
    counted = stocks.annotate(units=F("quantity") - F("reserved")).values_list("product_id", "units").order_by()
    released = expired.values_list("stock__product_id", "quantity").order_by()
    return counted.union(released, all=True)


# Far below the stand-ins of a list of ids (`core.sql.id_standins` counts down from -917,364,600).
_WAREHOUSE_STANDIN = -1_917_364_800


def _warehouse_values(ids) -> dict[str, int]:
    return {f"warehouse{n}": pk for n, pk in enumerate(ids)}


@functools.lru_cache(maxsize=128)
def _free_units_query(alias: str, warehouses: int, products: int) -> Prepared:
    """`free_unit_rows` for so many warehouse and product ids, compiled once per process (core.sql): building
    the union cost the checkout ten times what running it does."""
    standins = _warehouse_values(_WAREHOUSE_STANDIN - n for n in range(warehouses)) | id_standins(products)

    def build(**ids):
        return _free_units([ids[f"warehouse{n}"] for n in range(warehouses)], [ids[f"id{n}"] for n in range(products)])

    return prepare(build, using=alias, with_now=True, **standins)


def stocks_status(product, stocks) -> Availability:
    """The status of a product from its stock rows in active warehouses (annotated by `with_expired_held`):
    what `with_availability` sums in SQL, for a page that reads the rows anyway."""
    product.available = sum(stock_free(stock) for stock in stocks)
    return product_status(product)


def attach_availability(products):
    """Give each annotated product the status a customer sees, as `product.availability`."""
    for product in products:
        product.availability = product_status(product)
    return products


# --- Delivery to a region -------------------------------------------------------------------
# Checkout asks how many units the warehouses serving the buyer's region hold, and how soon a line
# can leave them: «завтра» where they hold it, the supplier's lead time for goods under order.

READY_TOMORROW = 1


def serving_warehouse_ids(*, region_id: int | None) -> list[int]:
    """The active warehouses that ship to a region; every active one when none is assigned to it."""
    from catalog.models import Warehouse

    active = Warehouse.objects.filter(is_active=True).order_by("pk")
    ids = list(active.filter(regions=region_id).values_list("pk", flat=True)) if region_id else []
    return ids or list(active.values_list("pk", flat=True))


def with_region_availability(queryset: QuerySet, *, warehouse_ids: list[int]) -> QuerySet:
    """Annotate each product with `available_in_region`, the units free to sell in those warehouses."""
    return queryset.annotate(available_in_region=available_subquery(warehouse_ids=warehouse_ids))


def lead_days(*, in_region: int, quantity: int, backorder_days: int | None, is_service: bool = False) -> int | None:
    """Days until a line is ready to leave for the region, or None when it cannot be had there."""
    if is_service or in_region >= quantity:
        return READY_TOMORROW
    if backorder_days:
        return backorder_days
    return None


def lead_label(days: int) -> str:
    """«завтра», «через 5 дней»."""
    if days <= READY_TOMORROW:
        return "завтра"
    return f"через {plural(days, 'день', 'дня', 'дней')}"
