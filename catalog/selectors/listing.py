"""The category listing: filters, the filter panel's counts and the page's products from the category store.

The store is catalog.facets; catalog/tests/listing_sql.py says the same in SQL, the reference it is tested against.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from catalog.facets import CategoryStore, Facets, category_store, in_stock_flags, stock_units
from catalog.selectors.categories import FilterAttribute
from catalog.selectors.products import card_products
from catalog.versions import served_stale


@dataclass(frozen=True)
class ListingFilters:
    brands: tuple[str, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False
    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (attribute slug, values)
    sort: str = "popular"

    @property
    def active_count(self) -> int:
        """How many filters the customer has set: each brand, attribute value, price bound and «in stock»."""
        bounds = (self.price_min is not None) + (self.price_max is not None)
        return len(self.brands) + sum(len(values) for _, values in self.attributes) + bounds + self.in_stock


class StoreListing(Sequence):
    """The products of a category listing, rows of its store in order: a slice gives `ListedProduct`s,
    whose cards come from the cache with no SQL (catalog.cards reads a product only to render its card)."""

    def __init__(self, store: CategoryStore, rows):
        self.store, self.rows = store, rows

    @property
    def ids(self):
        return self.store.pk[self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        rows = self.rows[index]
        if served_stale():
            # The store is being rebuilt after an edit (another worker holds the lock): the cards are read
            # from the database, which leaves out a product taken off sale meanwhile.
            return card_products(self.store.pk[rows].tolist())
        return self.store.listed(rows, stock_units())


def _store_reads(category_slug, category_ids, attributes, filters):
    store = category_store(category_slug=category_slug, category_ids=category_ids, attributes=attributes)
    return store, in_stock_flags(store) if filters.in_stock else None


def category_facets(
    *, category_slug: str, category_ids: list[int], attributes: list[FilterAttribute], filters: ListingFilters
) -> Facets:
    """Counts for the filter panel, from the category's store (catalog.facets): after an edit of the
    category's products one worker rebuilds the store while the others serve the previous one."""
    store, in_stock = _store_reads(category_slug, category_ids, attributes, filters)
    return store.facets(filters, in_stock)


def category_listing(
    *, category_slug: str, category_ids: list[int], attributes: list[FilterAttribute], filters: ListingFilters
) -> tuple[Facets, StoreListing]:
    """The filter panel's counts and the filtered, sorted cards (fetched a page at a time), with no SQL
    but the page's cards while the category's store holds."""
    store, in_stock = _store_reads(category_slug, category_ids, attributes, filters)
    facets, rows = store.listing(filters, in_stock)
    return facets, StoreListing(store, rows)
