"""Every read of the lists: the header's state of a visitor, the favourites page, the compare tables."""

import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core import signing

from catalog.availability import Availability, line_status, with_availability
from catalog.models import Product, ProductAttributeValue
from catalog.selectors import cache as catalog_cache
from catalog.selectors import first_images
from lists.models import ListEntry, ListKind
from lists.owners import Owner

# A generation outlives the entries it validates many times over; an evicted one is simply made anew.
GENERATION_SECONDS = 7 * 24 * 60 * 60
SHARE_SALT = "lists.compare.share"
# Attributes whose larger number is the better one: more Mp, a longer IR range, a higher IP class.
HIGHER_IS_BETTER = frozenset({"resolution", "ir-range", "ip-rating"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class ListsState:
    """The ids in a visitor's favourites and compare list, in the order they were added."""

    favorites: tuple[int, ...] = ()
    compare: tuple[int, ...] = ()


EMPTY_STATE = ListsState()


def state_keys(owner_name: str) -> tuple[str, str]:
    """The cache keys of an owner's generation and of their lists' state entry."""
    return f"lists-generation:{owner_name}", f"lists-state:{owner_name}"


def _read_state(owner: Owner) -> ListsState:
    rows = ListEntry.objects.filter(owner.q()).order_by("created_at", "pk").values_list("kind", "product_id")
    favorites = tuple(pk for kind, pk in rows if kind == ListKind.FAVORITES)
    compare = tuple(pk for kind, pk in rows if kind == ListKind.COMPARE)
    return ListsState(favorites=favorites, compare=compare)


def lists_state(
    *, owner: Owner | None, found: dict | None = None, none_written=None, read_cold: bool = True
) -> ListsState | None:
    """The visitor's lists from the owner's cache entry while their generation holds, else from the database.

    Every write sets a new generation after its commit (`lists.services`), and the generation is read before
    the lists are, so an entry read before a change never passes for one read after it. `found` holds what
    the page cache fetched of the owner's keys in its own round trip (none is made then). `none_written`, when
    given, tells without a query that the owner never wrote a list (a guest's session says so): then the
    lists are empty without asking the database. With `read_cold` false, an owner the cache knows nothing of
    (no generation: never written, or evicted) gets None, "unknown", instead of a query: the header then leaves
    the counters to the script, which asks `lists:state`.
    """
    if owner is None:
        return EMPTY_STATE
    generation_key, entry_key = state_keys(owner.cache_name)
    if found is None or generation_key not in found:
        found = catalog_cache.get_many([generation_key, entry_key])
    generation, entry = found.get(generation_key), found.get(entry_key)
    if generation is not None and entry is not None and entry[0] == generation:
        return ListsState(favorites=entry[1], compare=entry[2])
    empty = none_written is not None and none_written()
    if generation is None and not empty and not read_cold:
        return None
    if generation is None:
        generation = time.time_ns()
        if not catalog_cache.add(generation_key, generation, GENERATION_SECONDS):
            generation = catalog_cache.get(generation_key)
    state = EMPTY_STATE if empty else _read_state(owner)
    if generation is not None:
        catalog_cache.set(entry_key, (generation, state.favorites, state.compare), GENERATION_SECONDS)
    return state


@dataclass
class ListedProduct:
    """A product of a list as its page shows it: price and availability now."""

    pk: int
    name: str
    url: str
    brand: str
    price: Decimal
    old_price: Decimal | None
    price_added: Decimal
    availability: Availability
    category_id: int
    category_name: str
    thumbnail: str = ""
    alt: str = ""

    @property
    def price_fell(self) -> bool:
        return self.price < self.price_added


def _listed(entries) -> list[ListedProduct]:
    entries = list(entries)
    images = first_images(product_ids=[entry.product_id for entry in entries])
    products = []
    for entry in entries:
        product = entry.product
        image = images.get(product.pk)
        products.append(
            ListedProduct(
                pk=product.pk,
                name=product.name,
                url=product.get_absolute_url(),
                brand=product.brand.name if product.brand_id else "",
                price=product.price,
                old_price=product.old_price,
                price_added=entry.price_added,
                availability=line_status(entry),
                category_id=product.category_id,
                category_name=product.category.name,
                thumbnail=image.thumbnail_url if image else "",
                alt=(image.alt if image else "") or product.name,
            )
        )
    return products


def _entries(owner: Owner, kind: str):
    entries = ListEntry.objects.filter(owner.q(), kind=kind, product__is_active=True)
    entries = with_availability(entries, product_ref="product_id")
    return entries.select_related("product__brand", "product__category").order_by("created_at", "pk")


def favorites_list(*, owner: Owner | None) -> list[ListedProduct]:
    """The visitor's favourites on sale, oldest first, with their price now and when added (two queries)."""
    if owner is None:
        return []
    return _listed(_entries(owner, ListKind.FAVORITES))


@dataclass
class CompareRow:
    """One attribute across the products of a table: each value, the best ones marked."""

    name: str
    unit: str
    values: list[str]
    best: list[bool]
    differs: bool

    @property
    def cells(self) -> list[tuple[str, bool]]:
        return list(zip(self.values, self.best, strict=True))


@dataclass
class CompareTable:
    """The products of one category side by side."""

    category_id: int
    category_name: str
    products: list[ListedProduct]
    rows: list[CompareRow] = field(default_factory=list)


def _number(value: str) -> float | None:
    match = _NUMBER.search(value or "")
    return float(match.group().replace(",", ".")) if match else None


def _best(slug: str, values: list[str]) -> list[bool]:
    """Which values are the best of the row: only where «better» is defined and the numbers differ."""
    if slug not in HIGHER_IS_BETTER:
        return [False] * len(values)
    numbers = [_number(value) for value in values]
    known = [number for number in numbers if number is not None]
    if len(known) < 2 or len(set(known)) < 2:
        return [False] * len(values)
    top = max(known)
    return [number == top for number in numbers]


def _tables(products: list[ListedProduct]) -> list[CompareTable]:
    tables: dict[int, CompareTable] = {}
    for product in products:
        table = tables.get(product.category_id)
        if table is None:
            table = tables[product.category_id] = CompareTable(product.category_id, product.category_name, [])
        table.products.append(product)
    values = ProductAttributeValue.objects.filter(product_id__in=[p.pk for p in products]).select_related("attribute")
    by_attribute: dict[int, tuple] = {}
    for value in values.order_by("attribute__position", "attribute__name", "attribute_id"):
        attribute = value.attribute
        by_attribute.setdefault(attribute.pk, (attribute, {}))[1][value.product_id] = value.value
    for table in tables.values():
        for attribute, per_product in by_attribute.values():
            row = [per_product.get(product.pk, "") for product in table.products]
            if not any(row):
                continue
            table.rows.append(
                CompareRow(
                    name=attribute.name,
                    unit=attribute.unit,
                    values=row,
                    best=_best(attribute.slug, row),
                    differs=len(set(row)) > 1,
                )
            )
    return list(tables.values())


def compare_tables(*, owner: Owner | None) -> list[CompareTable]:
    """The visitor's compare list as one table per category (three queries)."""
    if owner is None:
        return []
    products = _listed(_entries(owner, ListKind.COMPARE))
    return _tables(products) if products else []


def compare_share_token(product_ids) -> str:
    """A signed token of these product ids: a read-only link to the same comparison."""
    return signing.dumps([int(pk) for pk in product_ids], salt=SHARE_SALT, compress=True)


def compare_shared_tables(*, token: str) -> list[CompareTable] | None:
    """The tables of a shared comparison, or None for a token the shop did not sign."""
    try:
        ids = signing.loads(token, salt=SHARE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(ids, list) or not all(isinstance(pk, int) for pk in ids) or len(ids) > 200:
        return None
    products = Product.objects.filter(pk__in=ids, is_active=True)
    found = {p.pk: p for p in with_availability(products).select_related("brand", "category")}
    # Shaped like list entries; a shared comparison has no price when added, so its price now stands in.
    entries = [
        SimpleNamespace(product=p, product_id=p.pk, available=p.available, price_added=p.price)
        for p in (found[pk] for pk in ids if pk in found)
    ]
    listed = _listed(entries)
    return _tables(listed) if listed else []
