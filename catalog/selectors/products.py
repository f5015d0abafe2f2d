"""Product cards: the queryset a card needs, cards by id and each product's first image."""

import functools

from django.db import connections, router
from django.db.models import QuerySet
from django.urls import get_script_prefix, reverse

from catalog.availability import product_status, with_availability
from catalog.models import Product, ProductImage
from core.sql import EpochMicroseconds, Prepared, id_standins, id_values, prepare


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
