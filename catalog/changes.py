"""The one way a catalogue write reaches the caches.

Catalogue querysets (`update`, `bulk_update`, `bulk_create`, `delete`) and save/delete/m2m signals note what
they touched; after commit one `flush` retires it. Stock retires a product only when a warehouse's free units
cross a status boundary. `guard_sql` is the suite's check that no write goes round this module.
"""

import re
import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import models, transaction

from catalog.availability import status_units_cap, units_free

# More products than this in one transaction retire the whole catalogue: one stamp instead of thousands.
WHOLE_CATALOGUE_FROM = 500
# Tables whose rows a page shows; a write to them must come through here.
PRODUCT_TABLES = frozenset(
    {
        "catalog_product",
        "catalog_product_object_types",
        "catalog_productimage",
        "catalog_productattributevalue",
        "catalog_kitcomponent",
        "catalog_stock",
    }
)
CATALOGUE_TABLES = frozenset(
    {
        "catalog_category",
        "catalog_category_filter_attributes",
        "catalog_brand",
        "catalog_attribute",
        "catalog_warehouse",
        "catalog_warehouse_regions",
    }
)
WATCHED_TABLES = PRODUCT_TABLES | CATALOGUE_TABLES
# Product fields whose change may move a product off the pages that showed it: its address, its category, its
# rank among the category's related products, being on sale at all.
MOVING_FIELDS = frozenset({"slug", "category", "category_id", "popularity", "is_active"})

_local = threading.local()


def _pending() -> dict:
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {"products": set(), "before": [], "catalogue": False}
    return pending


def products_touched(product_ids: Iterable[int], *, before: Iterable = ()) -> None:
    """Retire the cached reads of these products once the transaction commits (`before`: where they were)."""
    pending = _pending()
    pending["products"].update(product_ids)
    pending["before"].extend(before)
    transaction.on_commit(flush)


def catalogue_touched() -> None:
    """Retire every cached catalogue read once the transaction commits."""
    _pending()["catalogue"] = True
    transaction.on_commit(flush)


def stock_moved(product_id: int, *, free_before: int, free_after: int) -> None:
    """Retire a product's reads when a warehouse's free units may have moved its status in some region.

    A region's units are the sum over its warehouses, so one warehouse that keeps at least the units of
    «В наличии» before and after keeps every region's status; anything less may change it.
    """
    if free_before != free_after and min(free_before, free_after) < status_units_cap():
        products_touched([product_id])


def flush() -> None:
    """Retire what the committed transaction touched (the first of its callbacks does it all)."""
    pending = getattr(_local, "pending", None)
    _local.pending = None
    if not pending or not (pending["catalogue"] or pending["products"]):
        return
    from catalog import services

    if pending["catalogue"] or len(pending["products"]) > WHOLE_CATALOGUE_FROM:
        services.catalog_changed()
    else:
        services.products_changed(product_ids=sorted(pending["products"]), before=pending["before"])


def forget() -> None:
    """Drop what was noted and never committed (a test's rolled-back transaction), and any open sanction."""
    _local.pending = None
    _local.sanctioned = 0


# --- The guard: writes to the watched tables only while this module knows of them -------------------------


def _depth() -> int:
    return getattr(_local, "sanctioned", 0)


@contextmanager
def sanctioned():
    """Mark the SQL run within the block as noted here."""
    _local.sanctioned = _depth() + 1
    try:
        yield
    finally:
        _local.sanctioned = _depth() - 1


def sanction_begin(**kwargs) -> None:
    _local.sanctioned = _depth() + 1


def sanction_end(**kwargs) -> None:
    _local.sanctioned = max(_depth() - 1, 0)


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def unsanctioned_table(sql: str) -> str | None:
    """The watched table a write statement changes outside this module, or None."""
    match = WRITE.match(sql)
    if match and match[1] in WATCHED_TABLES and _depth() == 0:
        return match[1]
    return None


# --- The querysets ----------------------------------------------------------------------------------------


class CatalogQuerySet(models.QuerySet):
    """A queryset whose bulk writes note what they touched, so no write reaches the database unretired."""

    # The field holding the product a row belongs to ("pk" for products); None for catalogue-wide models.
    product_field: str | None = None

    def _product_ids(self, rows=None) -> list[int]:
        if self.product_field is None:
            return []
        if rows is not None:
            attname = "pk" if self.product_field == "pk" else self.product_field
            return [getattr(row, attname) for row in rows]
        return list(self.values_list(self.product_field, flat=True))

    def _note(self, product_ids: list[int], before=()) -> None:
        if self.product_field is None:
            catalogue_touched()
        elif product_ids:
            products_touched(product_ids, before=before)

    def update(self, **kwargs):
        product_ids = self._product_ids()
        before = self._before(product_ids, kwargs)
        self._note(product_ids, before)
        with sanctioned():
            return super().update(**kwargs)

    update.queryset_only = True

    def _before(self, product_ids: list[int], fields) -> list:
        """Where products were shown, when the write may move them (their address, category or rank)."""
        if self.product_field != "pk" or not product_ids or not MOVING_FIELDS & set(fields):
            return []
        if len(product_ids) > WHOLE_CATALOGUE_FROM:
            return []  # the flush retires the whole catalogue anyway
        from catalog.services import product_traces

        return product_traces(product_ids=product_ids)

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        product_ids = self._product_ids(objs)
        self._note(product_ids, self._before(product_ids, fields))
        with sanctioned():
            return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with sanctioned():
            created = super().bulk_create(objs, *args, **kwargs)
        self._note([i for i in self._product_ids(objs) if i is not None])
        return created

    def delete(self):
        with sanctioned():
            return super().delete()

    delete.queryset_only = True


class ProductQuerySet(CatalogQuerySet):
    product_field = "pk"


class ProductRowQuerySet(CatalogQuerySet):
    """Rows that belong to one product each: pictures, attribute values."""

    product_field = "product_id"


class KitComponentQuerySet(CatalogQuerySet):
    product_field = "kit_id"


class StockQuerySet(CatalogQuerySet):
    """Stock rows: a bulk write retires a product only when its status may have moved."""

    product_field = "product_id"

    def _free(self, ids) -> dict[int, tuple[int, int]]:
        rows = models.QuerySet(self.model).filter(pk__in=ids).values_list("pk", "product_id", "quantity", "reserved")
        return {pk: (product_id, units_free(quantity, reserved)) for pk, product_id, quantity, reserved in rows}

    def update(self, **kwargs):
        ids = list(self.values_list("pk", flat=True))
        before = self._free(ids)
        with sanctioned():
            changed = models.QuerySet.update(self, **kwargs)
        if changed:
            after = self._free(ids)
            for pk, (product_id, free) in before.items():
                free_after = after.get(pk, (product_id, 0))[1]
                stock_moved(product_id, free_before=free, free_after=free_after)
        return changed

    update.queryset_only = True

    def counters_change(self, stock, *, quantity: int = 0, reserved: int = 0, **fields) -> bool:
        """Add to a locked row's counters where this queryset's condition holds; note a status it may move."""
        free_before = units_free(stock.quantity, stock.reserved)
        rows = self.filter(pk=stock.pk)
        counters = {"quantity": models.F("quantity") + quantity, "reserved": models.F("reserved") + reserved}
        with sanctioned():
            changed = models.QuerySet.update(rows, **counters, **fields)
        if changed:
            stock.quantity += quantity
            stock.reserved += reserved
            free_after = units_free(stock.quantity, stock.reserved)
            stock_moved(stock.product_id, free_before=free_before, free_after=free_after)
        return changed == 1

    def reserved_take_each(self, plan: list[tuple]) -> bool:
        """Reserve `units` of each locked row of `plan` ((stock, units) pairs) by one UPDATE, if each row has
        them free; False when any has not (the caller's transaction undoes the rest)."""
        units = models.Case(
            *(models.When(pk=stock.pk, then=models.Value(take)) for stock, take in plan),
            output_field=models.IntegerField(),
        )
        rows = self.filter(pk__in=[stock.pk for stock, _ in plan], reserved__lte=models.F("quantity") - units)
        with sanctioned():
            changed = models.QuerySet.update(rows, reserved=models.F("reserved") + units)
        if changed != len(plan):
            return False
        for stock, take in plan:
            before = units_free(stock.quantity, stock.reserved)
            stock.reserved += take
            stock_moved(stock.product_id, free_before=before, free_after=units_free(stock.quantity, stock.reserved))
        return True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        before = self._free([o.pk for o in objs])
        with sanctioned():
            changed = models.QuerySet.bulk_update(self, objs, fields, batch_size=batch_size)
        for obj in objs:
            product_id, free = before.get(obj.pk, (obj.product_id, 0))
            stock_moved(product_id, free_before=free, free_after=units_free(obj.quantity, obj.reserved))
        return changed
