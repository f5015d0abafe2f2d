"""Reads of the YML feed: the catalogue as plain rows, streamed with a fixed number of queries, and the
published file.

The offers come from three queries read side by side, each ordered by product id (products, their pictures,
their attribute values) plus one for the units free to sell, so the number of queries does not grow with the
catalogue and no more than one chunk of each sits in memory.
"""

import datetime
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import filepath_to_uri

from catalog.availability import IN_STOCK, LOW, free_unit_rows, statuses
from catalog.models import Product, ProductAttributeValue, ProductImage
from catalog.selectors import category_tree
from core.storage import private_storage
from feeds.yml import PICTURE_LIMIT, FeedCategory, Offer, Shop

FEED_NAME = "feeds/yml.xml"
CHUNK_SIZE = 2000
_SLUG_MARK = "feed-slug-mark"
# `available="true"`: units in a warehouse; goods under order are `false`, which marketplaces show as «под заказ».
IN_STOCK_CODES = frozenset({IN_STOCK.code, LOW.code})


def site_url() -> str:
    """The shop's address without a trailing slash: https://ohrana-plus.ru."""
    return f"{settings.SHOP_URL_SCHEME}://{settings.SHOP_DOMAIN}"


def feed_shop() -> Shop:
    """The `shop` header of the feed."""
    return Shop(name=settings.SHOP_NAME, company=settings.FEED_COMPANY, url=site_url() + "/")


def feed_categories() -> list[FeedCategory]:
    """The categories the storefront shows (active, under active parents), parents before children."""
    tree = category_tree()
    ordered: list[FeedCategory] = []
    stack = list(reversed(tree.roots))
    while stack:
        node = stack.pop()
        ordered.append(FeedCategory(id=node.id, name=node.name, parent_id=node.parent_id))
        stack.extend(reversed(node.children))
    return ordered


class _Grouped:
    """Rows of one stream ordered by product id, handed out a product at a time."""

    def __init__(self, rows: Iterator[tuple]):
        self._rows = rows
        self._next: tuple | None = next(rows, None)

    def take(self, product_id: int) -> list[tuple]:
        """The rows of this product; rows of products before it are passed over."""
        found = []
        while self._next is not None and self._next[0] <= product_id:
            if self._next[0] == product_id:
                found.append(self._next)
            self._next = next(self._rows, None)
        return found


def _absolute(base: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else base + url


def _picture_urls(base: str) -> Callable[[str], str]:
    """A function from a stored picture's name to its absolute address."""
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        # What FileSystemStorage.url does, without its urljoin: a tenth of the build of a large catalogue.
        prefix = _absolute(base, storage.base_url)
        return lambda name: prefix + filepath_to_uri(name).lstrip("/")
    return lambda name: _absolute(base, storage.url(name))


def feed_offers(*, category_ids: set[int], chunk_size: int = CHUNK_SIZE) -> Iterator[Offer]:
    """The offers of every product on sale in the given categories, in the order of their ids.

    A service is not goods a marketplace sells, and a product that can be neither bought from stock nor
    ordered is left out: marketplaces read `available="false"` as «под заказ».
    """
    base = site_url()
    product_url = base + reverse("catalog:product", kwargs={"slug": _SLUG_MARK})
    delivery, pickup, store = settings.FEED_DELIVERY, settings.FEED_PICKUP, settings.FEED_STORE
    units: dict[int, int] = defaultdict(int)
    for product_id, free in free_unit_rows():
        units[product_id] += free

    on_sale = {"is_active": True, "is_service": False}
    fields = ["pk", "name", "slug", "sku", "description", "price", "old_price", "warranty_months"]
    fields += ["backorder_days", "category_id", "brand__name", "barcode"]
    products = Product.objects.filter(**on_sale).order_by("pk").values_list(*fields)
    images = _Grouped(
        ProductImage.objects.filter(**{f"product__{k}": v for k, v in on_sale.items()})
        .order_by("product_id", "position", "pk")
        .values_list("product_id", "image")
        .iterator(chunk_size=chunk_size)
    )
    values = _Grouped(
        ProductAttributeValue.objects.filter(**{f"product__{k}": v for k, v in on_sale.items()})
        .order_by("product_id", "attribute__position", "attribute__name", "pk")
        .values_list("product_id", "attribute__name", "attribute__unit", "value")
        .iterator(chunk_size=chunk_size)
    )
    picture_url = _picture_urls(base)
    for row in products.iterator(chunk_size=chunk_size):
        pk, name, slug, sku, description, price, old_price, warranty, backorder_days, category_id, vendor, barcode = row
        pictures = images.take(pk)
        params = values.take(pk)
        [status] = statuses([units.get(pk, 0)], [backorder_days], [False])
        if category_id not in category_ids or not status.can_order:
            continue
        yield Offer(
            id=pk,
            available=status.code in IN_STOCK_CODES,
            url=product_url.replace(_SLUG_MARK, slug),
            price=price,
            old_price=old_price,
            category_id=category_id,
            pictures=[picture_url(image) for _, image in pictures[:PICTURE_LIMIT] if image],
            name=name,
            vendor=vendor or "",
            vendor_code=sku,
            description=description,
            warranty=warranty > 0,
            barcodes=[barcode] if barcode else [],
            params=[(attribute, unit, value) for _, attribute, unit, value in params],
            delivery=delivery,
            pickup=pickup,
            store=store,
        )


# --- The published file ---------------------------------------------------------------------


@dataclass(frozen=True)
class FeedFile:
    """The published feed: its size and time, from which its ETag and Last-Modified are made."""

    size: int
    modified: datetime.datetime
    etag: str


def _etag(size: int, stamp: int) -> str:
    # Every build is a new file with a new time: size and time tell the versions apart without reading them.
    return f'"{size:x}-{stamp:x}"'


def feed_local_path() -> str | None:
    """Where the published feed lies on this machine's disk, or None when the storage is an object store."""
    storage = private_storage()
    return storage.path(FEED_NAME) if isinstance(storage, FileSystemStorage) else None


def _from_stat(stat: os.stat_result) -> FeedFile:
    modified = datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)
    return FeedFile(size=stat.st_size, modified=modified, etag=_etag(stat.st_size, stat.st_mtime_ns))


def feed_file() -> FeedFile | None:
    """The published feed's size and time, or None before the first build."""
    path = feed_local_path()
    if path is not None:
        try:
            return _from_stat(os.stat(path))
        except FileNotFoundError:
            return None
    storage = private_storage()
    if not storage.exists(FEED_NAME):
        return None
    modified = storage.get_modified_time(FEED_NAME)
    if timezone.is_naive(modified):
        modified = timezone.make_aware(modified, datetime.UTC)
    size = storage.size(FEED_NAME)
    return FeedFile(size=size, modified=modified, etag=_etag(size, int(modified.timestamp() * 1_000_000)))


def feed_open() -> tuple[BinaryIO, FeedFile] | None:
    """The published feed opened for reading, with the size and time of exactly the file opened."""
    path = feed_local_path()
    if path is not None:
        try:
            handle = open(path, "rb")  # noqa: SIM115 - the response closes it
        except FileNotFoundError:
            return None
        # A build replaces the file by a rename: the handle keeps reading the version it opened.
        return handle, _from_stat(os.fstat(handle.fileno()))
    state = feed_file()
    if state is None:
        return None
    return private_storage().open(FEED_NAME, "rb"), state
