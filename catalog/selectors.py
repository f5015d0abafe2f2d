"""Every read the catalog pages need, each with a fixed number of queries."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connections, router
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.urls import get_script_prefix, reverse

from catalog.availability import (
    attach_availability,
    product_status,
    stocks_status,
    warehouse_label,
    with_availability,
    with_expired_held,
)
from catalog.facets import CategoryStore, Facets, category_store, in_stock_flags, stock_units
from catalog.models import Brand, Category, KitComponent, Product, ProductAttributeValue, ProductImage, Stock
from catalog.versions import GLOBAL_KEY, cache, fetch, global_stamp, served_stale, stamps
from core.sql import EpochMicroseconds, Prepared, id_standins, id_values, prepare, rows_together

# Catalog reads are rebuilt on a miss, so they live in the cache that may evict and may be away.
CATALOG_VERSION_KEY = GLOBAL_KEY


def catalog_version() -> int:
    """The global stamp (catalog.versions) that the menu and every page are keyed by."""
    return global_stamp()


# --- Categories -----------------------------------------------------------------------------


@dataclass
class CategoryNode:
    id: int
    name: str
    slug: str
    icon: str
    parent_id: int | None
    description: str = ""
    attribute_ids: list[int] = field(default_factory=list)
    children: list["CategoryNode"] = field(default_factory=list)
    url: str = ""

    def get_absolute_url(self):
        return self.url


@dataclass(frozen=True)
class FilterAttribute:
    id: int
    slug: str
    name: str
    unit: str


@dataclass
class CategoryTree:
    roots: list[CategoryNode]
    by_id: dict[int, CategoryNode]
    by_slug: dict[str, CategoryNode]
    attributes: dict[int, FilterAttribute] = field(default_factory=dict)

    def ancestors(self, node: CategoryNode) -> list[CategoryNode]:
        """The node's ancestors, root first."""
        chain = []
        while node.parent_id is not None:
            node = self.by_id[node.parent_id]
            chain.append(node)
        return chain[::-1]

    def descendant_ids(self, node: CategoryNode) -> list[int]:
        ids, stack = [], [node]
        while stack:
            current = stack.pop()
            ids.append(current.id)
            stack.extend(current.children)
        return ids

    def family_ids(self, node: CategoryNode) -> list[int]:
        """The node with its ancestors and descendants: whose filter attributes apply."""
        return [a.id for a in self.ancestors(node)] + self.descendant_ids(node)

    def filter_attributes(self, node: CategoryNode) -> list[FilterAttribute]:
        """The attributes a category page filters by: its own, its ancestors' and its descendants'."""
        ids: dict[int, None] = {}
        for category_id in self.family_ids(node):
            ids.update(dict.fromkeys(self.by_id[category_id].attribute_ids))
        return [self.attributes[pk] for pk in ids]


def _build_category_tree() -> CategoryTree:
    nodes = [
        CategoryNode(**row, url=reverse("catalog:category", kwargs={"slug": row["slug"]}))
        for row in Category.objects.filter(is_active=True).values(
            "id", "name", "slug", "icon", "parent_id", "description"
        )
    ]
    by_id = {n.id: n for n in nodes}
    links = Category.filter_attributes.through.objects.order_by("attribute__position", "attribute__name")
    attributes: dict[int, FilterAttribute] = {}
    for link in links.values("category_id", "attribute_id", "attribute__slug", "attribute__name", "attribute__unit"):
        if link["category_id"] in by_id:
            by_id[link["category_id"]].attribute_ids.append(link["attribute_id"])
            attributes[link["attribute_id"]] = FilterAttribute(
                id=link["attribute_id"],
                slug=link["attribute__slug"],
                name=link["attribute__name"],
                unit=link["attribute__unit"],
            )
    roots = []
    for node in nodes:
        parent = by_id.get(node.parent_id) if node.parent_id else None
        if node.parent_id is None:
            roots.append(node)
        elif parent is not None:
            parent.children.append(node)
    # A category under a hidden parent is hidden as well.
    visible: dict[int, CategoryNode] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        visible[node.id] = node
        stack.extend(node.children)
    return CategoryTree(
        roots=roots, by_id=visible, by_slug={n.slug: n for n in visible.values()}, attributes=attributes
    )


TREE_KEY = "catalog:tree:v3"
# The tree this process last read, with its stamp: while the stamp holds, no tree crosses the network.
_tree_memo: tuple[int, CategoryTree] | None = None


def category_tree() -> CategoryTree:
    """The active categories as a tree, cached until the catalog's global stamp changes."""
    global _tree_memo
    found = fetch([GLOBAL_KEY])
    stamp = stamps([GLOBAL_KEY], found)[0]
    memo = _tree_memo
    if memo is not None and memo[0] == stamp:
        return memo[1]
    entry = cache.get(TREE_KEY)
    if entry is not None and entry[0] == stamp:
        tree = entry[1]
    else:
        tree = _build_category_tree()
        cache.set(TREE_KEY, (stamp, tree), settings.CATALOG_CACHE_SECONDS)
    _tree_memo = (stamp, tree)
    return tree


def request_category_tree(request) -> CategoryTree:
    """The category tree, read once per request however many times the view and templates ask."""
    tree = getattr(request, "_catalog_tree", None)
    if tree is None:
        tree = request._catalog_tree = category_tree()
    return tree


# --- Products -------------------------------------------------------------------------------


def product_cards() -> QuerySet:
    """Active products with what a product card shows: brand, availability (images: catalog.cards, on a miss)."""
    return with_availability(
        Product.objects.filter(is_active=True, category__is_active=True)
        .select_related("brand")
        .only(
            "id",
            "sku",
            "name",
            "slug",
            "price",
            "old_price",
            "vat_rate",
            "backorder_days",
            "is_service",
            "popularity",
            "created_at",
            "updated_at",
            "brand__name",
            "brand__slug",
            "category_id",
        )
    )


class CardProduct:
    """A product as its card shows it, read by `card_products`: what a listing needs and nothing more."""

    def __init__(self, row):
        (self.pk, self.name, self.slug, self.price, self.old_price, self.vat_rate, self.backorder_days) = row[:7]
        (self.is_service, self.brand_name, self.edited, self.available) = row[7:]
        self.availability = product_status(self)

    def __repr__(self):
        return f"<CardProduct {self.pk}: {self.name}>"

    @property
    def id(self) -> int:
        return self.pk

    @property
    def discount_percent(self) -> int | None:
        return Product.discount_percent.fget(self)

    def get_absolute_url(self) -> str:
        prefix, suffix = _product_url_parts(get_script_prefix())
        return f"{prefix}{self.slug}{suffix}"


CARD_FIELDS = (
    "pk",
    "name",
    "slug",
    "price",
    "old_price",
    "vat_rate",
    "backorder_days",
    "is_service",
    "brand__name",
    "edited",  # `updated_at` as microseconds (core.sql.EpochMicroseconds), as the category store holds it
    "available",
)


@functools.cache
def _product_url_parts(script_prefix: str) -> tuple[str, str]:
    # Slugs are ASCII letters, digits, hyphens and underscores (the URL's slug converter): nothing to quote.
    url = reverse("catalog:product", kwargs={"slug": "slug-standin"})
    prefix, suffix = url.split("slug-standin")
    return prefix, suffix


@functools.cache
def _card_query(alias: str, count: int) -> Prepared:
    def build(**ids):
        cards = product_cards().annotate(edited=EpochMicroseconds("updated_at"))
        return cards.filter(pk__in=list(ids.values())).values_list(*CARD_FIELDS)

    return prepare(build, using=alias, with_now=True, **id_standins(count))


def card_products(ids: list[int]) -> list[CardProduct]:
    """The cards of these active products in the order given (one missing is left out): one query,
    compiled once per process (core.sql)."""
    if not ids:
        return []
    ids = list(dict.fromkeys(int(pk) for pk in ids))
    alias = router.db_for_read(Product)
    rows = _card_query(alias, len(ids)).rows(alias, **id_values(ids))
    found = {row[0]: CardProduct(row) for row in rows}
    return [found[pk] for pk in ids if pk in found]


IMAGE_FIELDS = tuple(f.attname for f in ProductImage._meta.concrete_fields)


@functools.cache
def _first_images_query(alias: str, count: int) -> Prepared:
    def build(**ids):
        images = ProductImage.objects.filter(product_id__in=list(ids.values()))
        if connections[alias].features.can_distinct_on_fields:
            # PostgreSQL's DISTINCT ON: one row per product, cheaper to build and run than a window function.
            images = images.order_by("product_id", "position", "pk").distinct("product_id")
        else:
            images = images.order_by("position", "pk")
        return images.values_list(*IMAGE_FIELDS)

    return prepare(build, using=alias, **id_standins(count))


def first_images(*, product_ids: list[int]) -> dict[int, ProductImage]:
    """Each product's first image by position, in one query compiled once per process (none without products)."""
    if not product_ids:
        return {}
    ids = list(dict.fromkeys(product_ids))
    alias = router.db_for_read(ProductImage)
    first = {}
    for row in _first_images_query(alias, len(ids)).rows(alias, **id_values(ids)):
        image = ProductImage.from_db(alias, IMAGE_FIELDS, row)
        first.setdefault(image.product_id, image)
    return first


@dataclass(frozen=True)
class Picture:
    """A gallery picture as the product page prints it: addresses already worked out."""

    url: str
    thumbnail_url: str
    alt: str


@dataclass(frozen=True)
class ComponentLine:
    name: str
    url: str
    quantity: int


@dataclass(frozen=True)
class StockLine:
    """A warehouse's stock of the product as its page lists it."""

    quantity: int
    reserved: int
    city: str
    expired_held: int

    @property
    def free_label(self) -> str:
        return warehouse_label(self)


# Every column of the product but the search's own, in the model's order (Model.from_db takes them so).
PRODUCT_PAGE_FIELDS = tuple(
    f.attname for f in Product._meta.concrete_fields if f.name not in ("search_text", "search_vector")
)
_SLUG_STANDIN = "\x01product-slug-standin\x01"
_PRODUCT_STANDIN = -917_364_700


@functools.cache
def _product_page_queries(alias: str) -> dict[str, Prepared]:
    """The product page's five queries, compiled once per process (core.sql)."""
    on_sale = Product.objects.filter(is_active=True, category__is_active=True)
    stocks = Stock.objects.filter(warehouse__is_active=True).order_by("warehouse__name", "pk")
    of_product = {
        "pictures": lambda pk: (
            ProductImage.objects.filter(product_id=pk)
            .order_by("position", "pk")
            .values_list("image", "thumbnail_name", "alt")
        ),
        "attributes": lambda pk: (
            ProductAttributeValue.objects.filter(product_id=pk)
            .order_by("attribute__position", "attribute__name")
            .values_list("attribute__name", "attribute__unit", "value")
        ),
        # Reservations that ran out by now no longer hold units.
        "stocks": lambda pk: with_expired_held(stocks.filter(product_id=pk)).values_list(
            "quantity", "reserved", "warehouse__city", "expired_held"
        ),
        # One query says both whether the product is a kit (its components) and which kits hold it.
        "kits": lambda pk: (
            KitComponent.objects.filter(Q(kit_id=pk) | Q(product_id=pk))
            .order_by("pk")
            .values_list("kit_id", "quantity", "product__name", "product__slug")
        ),
    }
    queries = {
        name: prepare(build, using=alias, with_now=name == "stocks", pk=_PRODUCT_STANDIN)
        for name, build in of_product.items()
    }
    queries["product"] = prepare(
        lambda slug: on_sale.filter(slug=slug).values_list(*PRODUCT_PAGE_FIELDS, "brand__name", "brand__slug"),
        using=alias,
        slug=_SLUG_STANDIN,
    )
    return queries


def product_get(*, slug: str) -> Product:
    """The product page's product with everything it shows, or Product.DoesNotExist.

    Five plain queries whatever the product holds, each compiled once per process: the product with its
    brand, then its pictures, attributes, stock rows and kit links in one round trip. Availability is summed
    from the stock rows the page lists anyway, and the pictures carry their stored thumbnails (no imagekit at
    render time).
    """
    alias = router.db_for_read(Product)
    queries = _product_page_queries(alias)
    rows = queries["product"].rows(alias, slug=slug)
    if not rows:
        raise Product.DoesNotExist(f"No product on sale with the address {slug!r}")
    count = len(PRODUCT_PAGE_FIELDS)
    product = Product.from_db(alias, PRODUCT_PAGE_FIELDS, rows[0][:count])
    if product.brand_id is not None:
        brand_name, brand_slug = rows[0][count:]
        product.brand = Brand(id=product.brand_id, name=brand_name, slug=brand_slug)
    # The other four reads in one round trip (a pipeline on PostgreSQL).
    pictures, attributes, stock_rows, kit_rows = rows_together(
        alias, [(queries[name], {"pk": product.pk}) for name in ("pictures", "attributes", "stocks", "kits")]
    )
    images = [ProductImage(image=image, thumbnail_name=thumbnail, alt=alt) for image, thumbnail, alt in pictures]
    product.pictures = [
        Picture(url=image.image.url, thumbnail_url=image.thumbnail_url, alt=image.alt or product.name)
        for image in images
    ]
    product.attribute_rows = attributes
    stocks = [StockLine(*row) for row in stock_rows]
    product.availability = stocks_status(product, stocks)
    product.stock_rows = stocks
    product.component_lines, product.kit_ids = [], []
    for kit_id, quantity, name, component_slug in kit_rows:
        if kit_id == product.pk:
            url = reverse("catalog:product", kwargs={"slug": component_slug})
            product.component_lines.append(ComponentLine(name=name, url=url, quantity=quantity))
        else:
            product.kit_ids.append(kit_id)
    return product


# How many other products of its category a product page shows.
RELATED_LIMIT = 4


def category_top(*, category_id: int, limit: int = RELATED_LIMIT + 1) -> list[Product]:
    """The most popular products of a category, as cards: every product page of it shows these as related."""
    return attach_availability(list(product_cards().filter(category_id=category_id)[:limit]))


def product_kits(*, product: Product, limit: int = 4) -> list[Product]:
    """Ready-made kits that contain the product (`product_get` read which)."""
    kit_ids = getattr(product, "kit_ids", None)
    if kit_ids is None:
        kit_ids = KitComponent.objects.filter(product=product).values("kit_id")
    elif not kit_ids:
        return []
    return attach_availability(list(product_cards().filter(pk__in=kit_ids)[:limit]))


def home_sections() -> dict[str, list[Product]]:
    """Ready-made kits, new arrivals and bestsellers for the home page."""
    tree = category_tree()
    kits_node = tree.by_slug.get("gotovye-komplekty")
    kits = []
    if kits_node:
        kits = list(product_cards().filter(category_id__in=tree.descendant_ids(kits_node))[:4])
    new = list(product_cards().order_by("-created_at", "-pk")[:8])
    popular = list(product_cards().order_by("-popularity", "pk")[:8])
    return {"kits": attach_availability(kits), "new": attach_availability(new), "popular": attach_availability(popular)}


# --- Category listing with filters ----------------------------------------------------------
# The page reads its counts and the ids of its page from the category's column store (catalog.facets);
# catalog/tests/listing_sql.py says the same in SQL, the reference the store is tested against.


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


# --- Recommendations -------------------------------------------------------------------------

KITS_SLUG = "gotovye-komplekty"


@dataclass(frozen=True)
class RecommendationProfile:
    """All that a customer's recommendations depend on: customers with the same profile see the same ones."""

    interest_ids: tuple[int, ...]
    object_type_id: int | None


def recommendation_profile(*, user) -> RecommendationProfile | None:
    """The customer's interests and object type, or None when nothing is recommended (a guest, or neither)."""
    if not getattr(user, "is_authenticated", False):
        return None
    interest_ids = tuple(sorted(user.interests.values_list("pk", flat=True)))
    if not interest_ids and user.object_type_id is None:
        return None
    return RecommendationProfile(interest_ids=interest_ids, object_type_id=user.object_type_id)


def user_recommendations(*, user, limit: int = 8) -> list[Product]:
    """Products for the customer's interests and object type: matching kits first, then popular items."""
    return profile_recommendations(profile=recommendation_profile(user=user), limit=limit)


def profile_recommendations(*, profile: RecommendationProfile | None, limit: int = 8) -> list[Product]:
    """Products for a profile's interests and object type: matching kits first, then popular items."""
    if profile is None:
        return []
    interest_ids, object_type_id = profile.interest_ids, profile.object_type_id
    tree = category_tree()
    interest_category_ids: list[int] = []
    for category_id in interest_ids:
        node = tree.by_id.get(category_id)
        if node is not None:
            interest_category_ids.extend(tree.descendant_ids(node))
    kits_node = tree.by_slug.get(KITS_SLUG)
    kit_category_ids = tree.descendant_ids(kits_node) if kits_node else []

    is_kit = Q(category_id__in=kit_category_ids)
    fits_object = Q(
        Exists(Product.object_types.through.objects.filter(product_id=OuterRef("pk"), objecttype_id=object_type_id))
    )
    if interest_category_ids:
        # A kit belongs to an interest when one of its components does (a CCTV kit holds cameras).
        kit_serves_interest = Exists(
            KitComponent.objects.filter(kit_id=OuterRef("pk"), product__category_id__in=interest_category_ids)
        )
        wanted = Q(category_id__in=interest_category_ids) | (is_kit & Q(kit_serves_interest))
    else:
        wanted = fits_object
    queryset = product_cards().filter(wanted)
    if object_type_id is not None:
        queryset = queryset.annotate(
            fits=Case(When(fits_object, then=Value(True)), default=Value(False), output_field=BooleanField()),
        )
    else:
        queryset = queryset.annotate(fits=Value(False, output_field=BooleanField()))
    queryset = queryset.annotate(
        kit=Case(When(is_kit, then=Value(True)), default=Value(False), output_field=BooleanField()),
        fitting_kit=Case(
            When(is_kit & Q(fits=True), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    ).order_by("-fitting_kit", "-fits", "-kit", "-popularity", "pk")
    return attach_availability(list(queryset[:limit]))


def stock_drift() -> list[str]:
    """Every stock row whose counters disagree with its reservation rows, or break a bound; empty when sound."""
    from django.db.models import Q as _Q

    from catalog.models import ReservationState, StockReservation

    held = {
        row["stock"]: row["total"]
        for row in StockReservation.objects.filter(state=ReservationState.HELD)
        .values("stock")
        .annotate(total=Sum("quantity"))
    }
    problems = []
    rows = Stock.objects.filter(_Q(reserved__gt=0) | _Q(pk__in=list(held))).select_related("product", "warehouse")
    for stock in rows.order_by("pk"):
        expected = held.get(stock.pk, 0)
        if stock.reserved != expected:
            problems.append(
                f"{stock.product.sku} / {stock.warehouse.code}: в резерве {stock.reserved}, по резервам {expected}"
            )
        if stock.reserved > stock.quantity:
            problems.append(f"{stock.product.sku} / {stock.warehouse.code}: резерв {stock.reserved} > {stock.quantity}")
    return problems
