"""Every write to the catalog: one function per business action."""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from catalog import versions
from catalog.availability import expired_held_q, stock_free
from catalog.exceptions import StockShort
from catalog.models import KitComponent, Product, ProductImage, ReservationState, Stock, StockReservation
from catalog.search import VOCABULARY_TABLE, build_search_text, vocabulary_words
from catalog.selectors import RELATED_LIMIT, category_tree
from catalog.signals import catalogue_changed

SEARCH_BATCH = 2000
logger = logging.getLogger(__name__)


def catalog_changed() -> None:
    """Retire every cached catalog read: categories, brands, attributes or warehouses changed."""
    versions.bump([versions.GLOBAL_KEY])
    catalogue_changed.send(sender=None)


@dataclass(frozen=True)
class ProductTrace:
    """Where a product is shown: its page, its category's listings, and whether it is among the related
    products that every page of its category shows."""

    slug: str
    category_id: int
    related: bool


def product_traces(*, product_ids: Iterable[int]) -> list[ProductTrace]:
    """Where the products are shown now; read it before an edit that may move them (slug, category, rank)."""
    rows = list(Product.objects.filter(pk__in=list(product_ids)).values_list("pk", "slug", "category_id"))
    related: set[int] = set()
    for category_id in {row[2] for row in rows}:
        shown = Product.objects.filter(category_id=category_id, is_active=True).order_by("-popularity", "pk")
        # The top of a category: its product pages show these (all but themselves) as related.
        related.update(shown.values_list("pk", flat=True)[: RELATED_LIMIT + 1])
    return [ProductTrace(slug=slug, category_id=category_id, related=pk in related) for pk, slug, category_id in rows]


def products_changed(*, product_ids: Iterable[int], before: Iterable[ProductTrace] = ()) -> None:
    """Retire the cached reads that show these products, and only those.

    Their pages; the pages of kits that hold them and of the components they hold; the listings and filter
    counts of their categories and every ancestor; home and search; and, when one of them is (or was) among
    a category's related products, the pages of that category's products. `before` says where the products
    were shown before the edit, so a renamed, moved or deleted product leaves nothing stale behind.
    """
    product_ids = list(product_ids)
    traces = [*before, *product_traces(product_ids=product_ids)]
    slugs = {t.slug for t in traces}
    links = KitComponent.objects.filter(Q(product_id__in=product_ids) | Q(kit_id__in=product_ids))
    for kit_slug, component_slug in links.values_list("kit__slug", "product__slug"):
        slugs.update((kit_slug, component_slug))
    tree = category_tree()
    keys = [versions.PRODUCTS_KEY, *(versions.product_key(slug) for slug in slugs)]
    keys.extend(versions.card_key(pk) for pk in product_ids)  # their cards, whatever wrote them (no save() needed)
    for category_id in {t.category_id for t in traces}:
        node = tree.by_id.get(category_id)
        if node is not None:
            keys.extend(versions.category_key(n.slug) for n in [*tree.ancestors(node), node])
    for category_id in {t.category_id for t in traces if t.related}:
        pages = Product.objects.filter(category_id=category_id).values_list("slug", flat=True)
        keys.extend(versions.product_key(slug) for slug in pages.iterator())
    versions.bump(keys)
    catalogue_changed.send(sender=None)


def product_refresh_search(*, product_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search text (and on PostgreSQL the search vector) of the given or all products."""
    queryset = Product.objects.all() if product_ids is None else Product.objects.filter(pk__in=list(product_ids))
    queryset = queryset.select_related("brand", "category").prefetch_related("attribute_values")
    updated = 0
    batch: list[Product] = []
    for product in queryset.order_by("pk").iterator(chunk_size=SEARCH_BATCH):
        product.search_text = build_search_text(
            product.name,
            product.sku,
            product.brand.name if product.brand else "",
            product.category.name,
            " ".join(v.value for v in product.attribute_values.all()),
        )
        batch.append(product)
        if len(batch) >= SEARCH_BATCH:
            updated += _save_search(batch)
            batch = []
    if batch:
        updated += _save_search(batch)
    return updated


def _save_search(products: list[Product]) -> int:
    with transaction.atomic():
        Product.objects.bulk_update(products, ["search_text"])
        if connection.vendor == "postgresql":
            Product.objects.filter(pk__in=[p.pk for p in products]).update(
                search_vector=SearchVector("name", "sku", weight="A", config="russian")
                + SearchVector("search_text", weight="B", config="russian")
                + SearchVector("description", weight="D", config="russian")
            )
            _add_vocabulary(products)
    return len(products)


def _add_vocabulary(products: list[Product]) -> None:
    """Add the products' new words to the vocabulary typos are corrected against (words are never taken out:
    a word no product has any more finds nothing, and the vocabulary stays the catalogue's few hundred words)."""
    new_words = sorted(set().union(*(vocabulary_words(p.search_text) for p in products)))
    if new_words:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {VOCABULARY_TABLE} (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", [new_words]
            )


def products_set_active(*, product_ids: Iterable[int], is_active: bool) -> int:
    """Take products off sale or put them back; returns how many changed."""
    # The queryset notes where they were shown (catalog.changes), so the pages that listed them are retired too.
    return Product.objects.filter(pk__in=list(product_ids)).exclude(is_active=is_active).update(is_active=is_active)


@transaction.atomic
def products_delete(*, product_ids: Iterable[int]) -> list[str]:
    """Delete products; a kit that loses a component goes off sale rather than sell less at its price.

    Returns the names of the kits taken off sale.
    """
    product_ids = list(product_ids)
    kits = list(
        Product.objects.filter(components__product_id__in=product_ids, is_active=True)
        .exclude(pk__in=product_ids)
        .distinct()
        .order_by("name")
    )
    if kits:
        Product.objects.filter(pk__in=[kit.pk for kit in kits]).update(is_active=False)
    # Its delete signals retire a deleted product's pages and those of its kits and components (catalog.changes).
    Product.objects.filter(pk__in=product_ids).delete()
    return [kit.name for kit in kits]


# --- Thumbnails -------------------------------------------------------------------------------
# imagekit makes a thumbnail when its image is saved (the Optimistic strategy in settings); its name and
# size are stored on the image row, so pages print them without asking imagekit (which works a name out by
# pickling the spec). Seed and deploy run `manage.py store_thumbnails` for images saved before that.
# The bulk update retires the cards and pages that printed the original's address (catalog.changes).

THUMBNAIL_BATCH = 1000
THUMBNAIL_FIELDS = ["thumbnail_name", "thumbnail_width", "thumbnail_height"]


def _thumbnail_of(image: ProductImage) -> tuple[str, int, int] | None:
    from PIL import Image

    thumbnail = image.thumbnail
    try:
        thumbnail.generate()  # a no-op when the file exists
        with thumbnail.storage.open(thumbnail.name) as handle, Image.open(handle) as picture:
            width, height = picture.size
    except OSError:
        # A picture whose file is gone keeps printing the original's address; the others go on.
        logger.warning("No thumbnail for product image %s (%s): its file cannot be read", image.pk, image.image.name)
        return None
    return thumbnail.name, width, height


def product_images_store_thumbnails(*, product_ids: Iterable[int] | None = None) -> int:
    """Make and store the thumbnail of every image of the products, or of every image without one; returns
    how many images got theirs."""
    images = ProductImage.objects.exclude(image="").order_by("pk")
    if product_ids is None:
        images = images.filter(thumbnail_name="")
    else:
        images = images.filter(product_id__in=list(product_ids))
    made: dict[str, tuple[str, int, int] | None] = {}  # generated catalogues share picture files
    batch: list[ProductImage] = []
    stored = 0
    for image in images.only("pk", "product_id", "image").iterator(chunk_size=THUMBNAIL_BATCH):
        if image.image.name not in made:
            made[image.image.name] = _thumbnail_of(image)
        if made[image.image.name] is None:
            continue
        image.thumbnail_name, image.thumbnail_width, image.thumbnail_height = made[image.image.name]
        batch.append(image)
        if len(batch) >= THUMBNAIL_BATCH:
            stored += ProductImage.objects.bulk_update(batch, THUMBNAIL_FIELDS)
            batch = []
    if batch:
        stored += ProductImage.objects.bulk_update(batch, THUMBNAIL_FIELDS)
    return stored


# --- Stock reservations -----------------------------------------------------------------------
# Every stock write locks its rows first, in primary-key order, so two orders never deadlock, and
# then changes the counters by conditional UPDATEs; the CheckConstraints of Stock are the last guard.


@dataclass(frozen=True)
class StockRequest:
    """Units of one product an order needs; goods under order may take fewer than asked from stock."""

    product_id: int
    name: str
    quantity: int
    backorder: bool = False


def _lock_stocks(stock_ids) -> dict[int, Stock]:
    return _lock_rows(Stock.objects.filter(pk__in=list(stock_ids)))


def _lock_rows(rows) -> dict[int, Stock]:
    """Lock stock rows in the order of their ids, as every writer does, so two writers never deadlock."""
    return {stock.pk: stock for stock in rows.select_for_update().order_by("pk")}


# The only arithmetic on on-hand and reserved units: conditional UPDATEs of a locked row that change nothing
# unless the counters stay within bounds (the CheckConstraints of Stock are the last guard).


def reserved_give_back(*, stock: Stock, units: int) -> bool:
    """Return reserved units of a locked stock row to the free ones."""
    return Stock.objects.filter(reserved__gte=units).counters_change(stock, reserved=-units)


def reserved_write_off(*, stock: Stock, units: int) -> bool:
    """Units that were reserved leave the warehouse: on hand and reserved both fall."""
    rows = Stock.objects.filter(reserved__gte=units, quantity__gte=units)
    return rows.counters_change(stock, quantity=-units, reserved=-units)


def free_write_off(*, stock: Stock, units: int) -> bool:
    """Units leave the warehouse from the free ones (their reservation was lost meanwhile)."""
    return Stock.objects.filter(quantity__gte=F("reserved") + units).counters_change(stock, quantity=-units)


def _release_rows(reservations: list[StockReservation], stocks: dict[int, Stock]) -> int:
    """Give the units of held reservations back to their (already locked) stock rows."""
    released = 0
    for reservation in reservations:
        taken = StockReservation.objects.filter(pk=reservation.pk, state=ReservationState.HELD).update(
            state=ReservationState.RELEASED, updated_at=timezone.now()
        )
        if taken:
            reserved_give_back(stock=stocks[reservation.stock_id], units=reservation.quantity)
            released += 1
    return released


@transaction.atomic
def stock_reserve(
    *,
    requests: list[StockRequest],
    warehouse_ids: list[int],
    reference: str,
    expires_at: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> list[StockReservation]:
    """Reserve every request in the given warehouses or nothing; StockShort names the first product short."""
    now = now or timezone.now()
    wanted = {r.product_id: r for r in requests if r.quantity > 0}
    locked = _lock_rows(Stock.objects.filter(product_id__in=list(wanted), warehouse_id__in=warehouse_ids))
    # Expired reservations on these rows stop counting now: release them under the same locks.
    _release_rows(list(StockReservation.objects.filter(expired_held_q(now), stock__in=list(locked))), locked)
    stocks = list(locked.values())
    by_product: dict[int, list[Stock]] = {}
    for stock in stocks:
        by_product.setdefault(stock.product_id, []).append(stock)
    plan: list[tuple[Stock, int]] = []
    for product_id in sorted(wanted):
        request = wanted[product_id]
        rows = by_product.get(product_id, [])
        free = sum(stock_free(s) for s in rows)
        if free < request.quantity and not request.backorder:
            raise StockShort(product_id=product_id, name=request.name, left=free)
        remaining = request.quantity
        for stock in rows:
            take = min(stock_free(stock), remaining)
            if take:
                plan.append((stock, take))
                remaining -= take
    plan.sort(key=lambda item: item[0].pk)
    if plan and not Stock.objects.reserved_take_each(plan):
        # The plan was made from the locked rows: only the rows' own constraints can refuse it now.
        stock = plan[0][0]
        raise StockShort(product_id=stock.product_id, name=wanted[stock.product_id].name, left=0)
    reservations = [
        StockReservation(stock=stock, quantity=take, reference=reference, expires_at=expires_at) for stock, take in plan
    ]
    return StockReservation.objects.bulk_create(reservations)


@transaction.atomic
def stock_release(*, reference: str) -> int:
    """Give back what an order holds (cancelled or not paid in time); safe to repeat."""
    held = StockReservation.objects.filter(reference=reference, state=ReservationState.HELD)
    locked = _lock_stocks(held.values_list("stock_id", flat=True))
    return _release_rows(list(held.order_by("stock_id", "pk")), locked)


@transaction.atomic
def stock_extend(*, reference: str, expires_at: datetime.datetime | None) -> int:
    """Move the expiry of an order's live reservations (paid by invoice, handed over later)."""
    return StockReservation.objects.filter(reference=reference, state=ReservationState.HELD).update(
        expires_at=expires_at, updated_at=timezone.now()
    )


@transaction.atomic
def stock_write_off(*, reference: str) -> int:
    """Turn an order's reservations into a write-off: the units leave on hand and reserved together.

    A reservation released meanwhile (expired and taken by another buyer) is taken again from what is
    free now; StockShort when that is no longer possible.
    """
    rows = list(StockReservation.objects.filter(reference=reference).exclude(state=ReservationState.WRITTEN_OFF))
    locked = _lock_stocks({r.stock_id for r in rows})
    written = 0
    for reservation in sorted(rows, key=lambda r: (r.stock_id, r.pk)):
        reservation.refresh_from_db(fields=["state"])
        write_off = reserved_write_off if reservation.state == ReservationState.HELD else free_write_off
        stock = locked[reservation.stock_id]
        changed = write_off(stock=stock, units=reservation.quantity)
        if not changed:
            raise StockShort(product_id=stock.product_id, name=stock.product.name, left=0)
        StockReservation.objects.filter(pk=reservation.pk).update(
            state=ReservationState.WRITTEN_OFF, updated_at=timezone.now()
        )
        written += 1
    return written


def stock_release_expired(*, now: datetime.datetime | None = None) -> list[str]:
    """Release every expired reservation, one stock row at a time; the references they belonged to."""
    now = now or timezone.now()
    references = set()
    stock_ids = sorted(set(StockReservation.objects.filter(expired_held_q(now)).values_list("stock_id", flat=True)))
    for stock_id in stock_ids:
        with transaction.atomic():
            locked = _lock_stocks([stock_id])
            rows = list(StockReservation.objects.filter(expired_held_q(now), stock_id=stock_id))
            _release_rows(rows, locked)
            references.update(r.reference for r in rows)
    return sorted(references)


@transaction.atomic
def stock_receive(*, product_id: int, warehouse_id: int, units: int) -> Stock:
    """Put units back on hand in a warehouse (goods a buyer returned)."""
    if units < 1:
        raise ValueError("units must be positive")
    stock, _ = Stock.objects.get_or_create(product_id=product_id, warehouse_id=warehouse_id)
    stock = _lock_stocks([stock.pk])[stock.pk]
    Stock.objects.all().counters_change(stock, quantity=units, updated_at=timezone.now())
    return stock
