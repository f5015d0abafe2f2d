"""A category's filter counts and page ids from a column store of its products (numpy), built by one worker.

The store is kept per version of the category's stamp; the units free to sell are one separate array of the
whole catalogue (`stock_units`, at most STOCK_FRESH_SECONDS old). See README, «What is cached».
"""

import functools
import hashlib
import json
import re
import time
import uuid
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import numpy as np
from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from catalog.availability import Availability, free_unit_rows, status_units_cap, statuses
from catalog.models import Brand, Product, ProductAttributeValue
from catalog.versions import GLOBAL_KEY, cache, category_key, shared_read
from core.sql import EpochMicroseconds

# Sort orders as the SQL ORDER BY gave them: field, then primary key to break ties.
SORTS = {
    "popular": ("-popularity", "pk"),
    "price": ("price", "pk"),
    "-price": ("-price", "pk"),
    "new": ("-created_at", "-pk"),
}

# A store and the stock units stay in the cache this long after their stamps change, served while one
# worker rebuilds them.
KEEP_SECONDS = 24 * 60 * 60
# How old the units free to sell («в наличии», the availability on a listing's cards) may be: a quarter
# of the page cache's 60 s.
STOCK_FRESH_SECONDS = 15
# How many category stores one process keeps in memory (the least recently used goes first).
MEMORY_STORES = 256

_LEADING_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?")


def natural_key(value: str) -> tuple:
    """Order «2», «4», «12» by number, words after numbers, alphabetically."""
    match = _LEADING_NUMBER.match(value)
    if match:
        return (0, float(match.group().replace(",", ".")), value)
    return (1, 0.0, value.lower())


@dataclass
class Facets:
    total: int
    brands: list[dict]  # {"slug", "name", "count"}
    attributes: list[dict]  # {"slug", "name", "unit", "values": [{"value", "count"}]}
    price_min: Decimal | None
    price_max: Decimal | None


def _units_of(pks: np.ndarray, units: np.ndarray) -> np.ndarray:
    """The stock units (`stock_units`) of these products; none for one added since they were counted."""
    free = np.zeros(len(pks), dtype=units.dtype)
    known = pks < len(units)
    free[known] = units[pks[known]]
    return free


def _members(column: np.ndarray, codes: list[int], size: int) -> np.ndarray:
    """Whether each code of the column (0 to size - 1, or -1 for none) is among `codes`: a lookup table
    indexed by the column, several times faster than `np.isin` for the few codes a filter names."""
    table = np.zeros(size + 1, dtype=bool)  # the last entry answers for -1
    table[codes] = True
    return table[column]


@dataclass(frozen=True)
class ListedProduct:
    """A product of a category listing as the store and the stock units know it: all that finds its card
    in the cache (`catalog.cards`), which reads the rest from the database only to render a card."""

    pk: int
    edited: int  # `updated_at` in microseconds (core.sql.EpochMicroseconds)
    availability: Availability


@dataclass
class CategoryStore:
    """The active products of a category and its subcategories, one row each, as columns."""

    pk: np.ndarray  # int64
    brand: np.ndarray  # int32 code into brands, -1 without a brand
    price: np.ndarray  # int64 kopecks
    edited: np.ndarray  # int64 `updated_at` in microseconds since 1970
    backorder_days: np.ndarray  # int32, 0 when the product cannot be ordered without stock
    is_service: np.ndarray  # bool
    brands: list[tuple[str, str]]  # (slug, name), ordered by name as the database orders them
    attributes: list[dict]  # {"id", "slug", "name", "unit", "values": [str, ...]}, in the panel's order
    codes: np.ndarray  # int32, one column per attribute: code into its values, -1 without a value
    orders: dict[str, np.ndarray]  # sort name: row numbers in that order
    price_min: Decimal | None
    price_max: Decimal | None

    def __len__(self) -> int:
        return len(self.pk)

    @property
    def nbytes(self) -> int:
        """Memory of the columns (the small brand and value lists aside)."""
        columns = (self.pk, self.brand, self.price, self.edited, self.backorder_days, self.is_service, self.codes)
        return sum(a.nbytes for a in (*columns, *self.orders.values()))

    # --- Masks ------------------------------------------------------------------------------

    def _common_mask(self, filters, in_stock: np.ndarray | None) -> np.ndarray:
        """Price bounds and «в наличии»: what every count applies."""
        mask = np.ones(len(self), dtype=bool)
        if filters.price_min is not None:
            low = int((Decimal(filters.price_min) * 100).to_integral_value(ROUND_CEILING))
            mask &= self.price >= low
        if filters.price_max is not None:
            high = int((Decimal(filters.price_max) * 100).to_integral_value(ROUND_FLOOR))
            mask &= self.price <= high
        if filters.in_stock:
            mask &= in_stock if in_stock is not None else False
        return mask

    def _brand_mask(self, filters) -> np.ndarray | None:
        if not filters.brands:
            return None
        wanted = set(filters.brands)
        codes = [code for code, (slug, _) in enumerate(self.brands) if slug in wanted]
        return _members(self.brand, codes, len(self.brands))

    def _attribute_mask(self, filters) -> np.ndarray | None:
        if not filters.attributes:
            return None
        mask = np.ones(len(self), dtype=bool)
        by_slug = {a["slug"]: (column, a) for column, a in enumerate(self.attributes)}
        for slug, values in filters.attributes:
            if slug not in by_slug:
                # Not an attribute the category filters by: no product of the store carries it.
                return np.zeros(len(self), dtype=bool)
            column, attribute = by_slug[slug]
            wanted = set(values)
            codes = [code for code, value in enumerate(attribute["values"]) if value in wanted]
            mask &= _members(self.codes[:, column], codes, len(attribute["values"]))
        return mask

    def _masks(self, filters, in_stock) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(price and stock, brands, attributes): what each count leaves out or applies."""
        return self._common_mask(filters, in_stock), self._brand_mask(filters), self._attribute_mask(filters)

    @staticmethod
    def _joined(*masks) -> np.ndarray:
        present = [mask for mask in masks if mask is not None]
        return functools.reduce(np.logical_and, present[1:], present[0])

    @functools.cached_property
    def _slots(self) -> tuple[np.ndarray, list[int]]:
        """Where each attribute's counts start in one `bincount` of every column (a code plus its column's
        shift, 0 of each column's slots for products without a value), and the slots in all."""
        sizes = [len(attribute["values"]) + 1 for attribute in self.attributes]
        starts = [sum(sizes[:column]) for column in range(len(sizes))]
        return np.array(starts, dtype=np.int32) + 1, [*starts, sum(sizes)]

    @functools.cached_property
    def _natural_orders(self) -> list[list[int]]:
        """Each attribute's value codes in the order the panel lists them («2», «4», «12», then words)."""
        return [
            sorted(range(len(attribute["values"])), key=lambda code, a=attribute: natural_key(a["values"][code]))
            for attribute in self.attributes
        ]

    # --- Reads ------------------------------------------------------------------------------

    def facets(self, filters, in_stock: np.ndarray | None = None) -> Facets:
        """The filter panel's counts: brands counted without the brand filter, attribute values without
        the attribute filters, the price bounds over the whole category."""
        return self._facets(*self._masks(filters, in_stock))

    def listing(self, filters, in_stock: np.ndarray | None = None) -> tuple[Facets, np.ndarray]:
        """The filter panel's counts and the rows of the listing, each mask made once for both."""
        masks = self._masks(filters, in_stock)
        return self._facets(*masks), self._ordered(filters, self._joined(*masks))

    def _facets(self, common, brand_mask, attribute_mask) -> Facets:
        with_brands = self._joined(common, brand_mask)
        with_attributes = self._joined(common, attribute_mask)
        total = int(np.count_nonzero(self._joined(with_brands, attribute_mask)))

        brand_codes = self.brand[with_attributes]
        brand_counts = np.bincount(brand_codes[brand_codes >= 0], minlength=len(self.brands)).tolist()
        brands = [
            {"slug": slug, "name": name, "count": brand_counts[code]}
            for code, (slug, name) in enumerate(self.brands)
            if brand_counts[code]
        ]
        attribute_facets = []
        shift, starts = self._slots
        # Every attribute's counts in one `bincount` over the rows that pass the other filters.
        counts = np.bincount((self.codes[with_brands] + shift).ravel(), minlength=starts[-1]).tolist()
        for column, attribute in enumerate(self.attributes):
            first = starts[column] + 1
            values = [
                {"value": attribute["values"][code], "count": counts[first + code]}
                for code in self._natural_orders[column]
                if counts[first + code]
            ]
            if values:
                attribute_facets.append(
                    {"slug": attribute["slug"], "name": attribute["name"], "unit": attribute["unit"], "values": values}
                )
        return Facets(
            total=total,
            brands=brands,
            attributes=attribute_facets,
            price_min=self.price_min,
            price_max=self.price_max,
        )

    def _ordered(self, filters, mask: np.ndarray) -> np.ndarray:
        """Row numbers of the rows of the mask, in the requested order."""
        order = self.orders.get(filters.sort, self.orders["popular"])
        return order[mask[order]]

    def listed(self, rows: np.ndarray, units: np.ndarray) -> list[ListedProduct]:
        """The products of these rows with their availability from the units free to sell (`stock_units`)."""
        pks = self.pk[rows]
        free = _units_of(pks, units).tolist()
        availability = statuses(free, self.backorder_days[rows].tolist(), self.is_service[rows].tolist())
        return [
            ListedProduct(pk=pk, edited=edited, availability=status)
            for pk, edited, status in zip(pks.tolist(), self.edited[rows].tolist(), availability, strict=True)
        ]


def store_build(category_ids: list[int], attributes: list) -> CategoryStore:
    """Read the category's active products into columns: three queries, however many products."""
    # «Новинки» as a rank worked out by the database: reading 30,000 creation times cost more than the rest.
    order = [F(name[1:]).desc() if name.startswith("-") else F(name).asc() for name in SORTS["new"]]
    newest = Window(RowNumber(), order_by=order)
    rows = list(
        Product.objects.filter(is_active=True, category_id__in=category_ids)
        .annotate(newest=newest, edited=EpochMicroseconds("updated_at"))
        .order_by("pk")
        .values_list("pk", "brand_id", "price", "popularity", "newest", "edited", "backorder_days", "is_service")
    )
    count = len(rows)
    pk = np.fromiter((r[0] for r in rows), dtype=np.int64, count=count)
    price = np.fromiter((int(r[2] * 100) for r in rows), dtype=np.int64, count=count)
    popularity = np.fromiter((r[3] for r in rows), dtype=np.int64, count=count)
    newest_rank = np.fromiter((r[4] for r in rows), dtype=np.int64, count=count)
    edited = np.fromiter((r[5] for r in rows), dtype=np.int64, count=count)
    backorder_days = np.fromiter((r[6] or 0 for r in rows), dtype=np.int32, count=count)
    is_service = np.fromiter((r[7] for r in rows), dtype=bool, count=count)

    brand_ids = {r[1] for r in rows if r[1] is not None}
    brand_rows = list(Brand.objects.filter(pk__in=brand_ids).order_by("name").values_list("pk", "slug", "name"))
    brand_code = {pk_: code for code, (pk_, _, _) in enumerate(brand_rows)}
    brand = np.fromiter((brand_code.get(r[1], -1) for r in rows), dtype=np.int32, count=count)

    row_of = {int(p): i for i, p in enumerate(pk)}
    column_of = {a.id: column for column, a in enumerate(attributes)}
    codes = np.full((count, len(attributes)), -1, dtype=np.int32)
    value_codes: list[dict[str, int]] = [{} for _ in attributes]
    if attributes and count:
        values = ProductAttributeValue.objects.filter(
            product__is_active=True, product__category_id__in=category_ids, attribute_id__in=list(column_of)
        ).values_list("product_id", "attribute_id", "value")
        for product_id, attribute_id, value in values.iterator(chunk_size=10000):
            row = row_of.get(product_id)
            if row is None:
                continue
            column = column_of[attribute_id]
            known = value_codes[column]
            codes[row, column] = known.setdefault(value, len(known))

    orders = {
        "popular": np.lexsort((pk, -popularity)),
        "price": np.lexsort((pk, price)),
        "-price": np.lexsort((pk, -price)),
        "new": np.argsort(newest_rank, kind="stable"),
    }
    return CategoryStore(
        pk=pk,
        brand=brand,
        price=price,
        edited=edited,
        backorder_days=backorder_days,
        is_service=is_service,
        brands=[(slug, name) for _, slug, name in brand_rows],
        attributes=[
            {"id": a.id, "slug": a.slug, "name": a.name, "unit": a.unit, "values": list(value_codes[column])}
            for column, a in enumerate(attributes)
        ],
        codes=codes,
        orders={name: order.astype(np.int32) for name, order in orders.items()},
        price_min=Decimal(int(price.min())).scaleb(-2) if count else None,
        price_max=Decimal(int(price.max())).scaleb(-2) if count else None,
    )


STOCK_KEY = "catalog:stock-units"


def stock_units_build() -> np.ndarray:
    """The units free to sell of the whole catalogue by product id, counted up to one more than «мало»
    (all that `availability_status` tells apart): one byte a product, 100 KiB at 100,000 products."""
    rows = free_unit_rows()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    units = np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows))
    total = np.bincount(ids, weights=units).astype(np.int64) if len(rows) else np.zeros(0, dtype=np.int64)
    cap = status_units_cap()
    return np.minimum(total, cap).astype(np.min_scalar_type(cap))


def stock_units() -> np.ndarray:
    """The units free to sell by product id (capped), at most STOCK_FRESH_SECONDS old: recounted by one
    worker while the others serve the previous array."""
    return shared_read(
        STOCK_KEY,
        stamp_keys=[GLOBAL_KEY],
        build=stock_units_build,
        fresh_seconds=STOCK_FRESH_SECONDS,
        keep_seconds=KEEP_SECONDS,
    )


# The stores this process has read: key → (token, store, when read), the most recently used last.
_memory: OrderedDict[str, tuple[str, CategoryStore, float]] = OrderedDict()


def _remember(key: str, token: str, store: CategoryStore) -> None:
    _memory[key] = (token, store, time.monotonic())
    _memory.move_to_end(key)
    while len(_memory) > MEMORY_STORES:
        _memory.popitem(last=False)


def _cache_away() -> bool:
    """Whether the shared cache is known to be away (shop.cache marks an outage for a few seconds)."""
    outage = getattr(cache, "outage", None)
    return bool(outage is not None and outage.skipping())


def _store_key(category_ids: list[int], attributes: list) -> str:
    fingerprint = json.dumps([sorted(category_ids), [a.id for a in attributes]])
    # The layout's version in the key: a deploy that changes CategoryStore never unpickles an older one.
    return f"catalog:store:v2:{hashlib.sha1(fingerprint.encode(), usedforsecurity=False).hexdigest()}"


def _build_and_share(key: str, category_ids: list[int], attributes: list) -> str:
    """Build the store, put it in the shared cache and in memory; return its token."""
    remembered = _memory.get(key)
    if remembered is not None and _cache_away() and time.monotonic() - remembered[2] < settings.CATALOG_CACHE_SECONDS:
        # While the shared cache is away no stamp can be read: serve this process's store for a while
        # instead of building one on every request.
        return remembered[0]
    store = store_build(category_ids, attributes)
    token = uuid.uuid4().hex
    cache.set(f"{key}:{token}", store, timeout=KEEP_SECONDS)
    _remember(key, token, store)
    return token


def category_store(*, category_slug: str, category_ids: list[int], attributes: list) -> CategoryStore:
    """The category's store and the key of its build: from this process's memory while the build holds,
    else from the shared cache, else built here."""
    key = _store_key(category_ids, attributes)
    token = shared_read(
        key,
        stamp_keys=[GLOBAL_KEY, category_key(category_slug)],
        build=lambda: _build_and_share(key, category_ids, attributes),
        fresh_seconds=settings.CATALOG_CACHE_SECONDS,
        keep_seconds=KEEP_SECONDS,
    )
    remembered = _memory.get(key)
    if remembered is not None and remembered[0] == token:
        _memory.move_to_end(key)
        return remembered[1]
    store = cache.get(f"{key}:{token}")
    if store is None:  # evicted: build it again under the same token
        store = store_build(category_ids, attributes)
        cache.set(f"{key}:{token}", store, timeout=KEEP_SECONDS)
    _remember(key, token, store)
    return store


def in_stock_flags(store: CategoryStore) -> np.ndarray:
    """The store's «в наличии» flags from the stock units (`stock_units`), at most STOCK_FRESH_SECONDS old."""
    units = stock_units()
    made = _flags_made.get(id(store))
    if made is not None and made[0]() is store and made[1]() is units:
        return made[2]  # the same store and units as a request before: no need to look 30,000 products up
    result = _units_of(store.pk, units) > 0
    result.flags.writeable = False
    _flags_made[id(store)] = (weakref.ref(store), weakref.ref(units), result)
    while len(_flags_made) > MEMORY_STORES:
        del _flags_made[next(iter(_flags_made))]
    return result


# The flags this process worked out for a store from the units: id(store) → (store, units, flags), valid while
# both are the very objects this process still holds (rebuilt units or a rebuilt store are new objects). Weak
# references: a store this process let go of is not kept alive by its flags.
_flags_made: dict[int, tuple] = {}
