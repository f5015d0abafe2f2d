"""The product page: the product with all it shows, its related products and the kits that hold it."""

import functools
from dataclasses import dataclass

from django.db import router
from django.db.models import Q
from django.urls import reverse

from catalog.availability import attach_availability, stocks_status, warehouse_label, with_expired_held
from catalog.models import Brand, KitComponent, Product, ProductAttributeValue, ProductImage, Stock
from catalog.selectors.products import product_cards
from core.sql import Prepared, prepare, rows_together


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
