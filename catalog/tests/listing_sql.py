"""The category listing and its filter counts in SQL: what the column store (catalog.facets) replaced on
the page, kept as the reference its counts and order are tested against."""

from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet

from catalog.availability import in_stock_q
from catalog.facets import SORTS, Facets, natural_key
from catalog.models import Product, ProductAttributeValue
from catalog.selectors import FilterAttribute, ListingFilters, product_cards


def _apply(queryset: QuerySet, filters: ListingFilters, *, skip: str = "") -> QuerySet:
    if filters.brands and skip != "brand":
        queryset = queryset.filter(brand__slug__in=filters.brands)
    if filters.price_min is not None:
        queryset = queryset.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        queryset = queryset.filter(price__lte=filters.price_max)
    if filters.in_stock:
        queryset = queryset.filter(in_stock_q())
    if skip != "attributes":
        for slug, values in filters.attributes:
            queryset = queryset.filter(
                Exists(
                    ProductAttributeValue.objects.filter(product=OuterRef("pk"), attribute__slug=slug, value__in=values)
                )
            )
    return queryset


def facets_by_sql(category_ids: list[int], attributes: list[FilterAttribute], filters: ListingFilters) -> Facets:
    """The filter counts counted by the database (four statements): what the store must agree with."""
    base = Product.objects.filter(is_active=True, category_id__in=category_ids)
    total = _apply(base, filters).count()
    brands = list(
        _apply(base, filters, skip="brand")
        .filter(brand__isnull=False)
        .values("brand__slug", "brand__name")
        .annotate(count=Count("pk"))
        .order_by("brand__name")
    )
    # A product has one value per attribute (a unique constraint), so a plain count is exact.
    attribute_rows = (
        ProductAttributeValue.objects.filter(
            product__in=_apply(base, filters, skip="attributes"),
            attribute_id__in=[a.id for a in attributes],
        )
        .values("attribute_id", "value")
        .annotate(count=Count("pk"))
        .order_by()
    )
    values: dict[int, list[dict]] = {}
    for row in attribute_rows:
        values.setdefault(row["attribute_id"], []).append({"value": row["value"], "count": row["count"]})
    attribute_facets = [
        {
            "slug": a.slug,
            "name": a.name,
            "unit": a.unit,
            "values": sorted(values[a.id], key=lambda option: natural_key(option["value"])),
        }
        for a in attributes
        if a.id in values
    ]
    prices = base.aggregate(low=Min("price"), high=Max("price"))
    return Facets(
        total=total,
        brands=[{"slug": b["brand__slug"], "name": b["brand__name"], "count": b["count"]} for b in brands],
        attributes=attribute_facets,
        price_min=prices["low"],
        price_max=prices["high"],
    )


def category_products(*, category_ids: list[int], filters: ListingFilters) -> QuerySet:
    """The filtered, sorted product cards of a category and its subcategories, in SQL."""
    queryset = _apply(product_cards().filter(category_id__in=category_ids), filters)
    return queryset.order_by(*SORTS.get(filters.sort, SORTS["popular"]))
