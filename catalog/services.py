"""Every write to the catalog: one function per business action."""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.db import connection, transaction

from catalog.models import Product
from catalog.search import build_search_text
from catalog.selectors import CATALOG_VERSION_KEY, catalog_version

SEARCH_BATCH = 2000


def catalog_changed() -> None:
    """Invalidate every cached catalog read (menu, facets)."""
    catalog_version()
    try:
        cache.incr(CATALOG_VERSION_KEY)
    except ValueError:
        cache.set(CATALOG_VERSION_KEY, 2, timeout=None)


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
    return len(products)


def products_set_active(*, product_ids: Iterable[int], is_active: bool) -> int:
    """Take products off sale or put them back; returns how many changed."""
    changed = Product.objects.filter(pk__in=list(product_ids)).exclude(is_active=is_active).update(is_active=is_active)
    transaction.on_commit(catalog_changed)
    return changed


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
    Product.objects.filter(pk__in=product_ids).delete()
    transaction.on_commit(catalog_changed)
    return [kit.name for kit in kits]
