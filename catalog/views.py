from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from catalog.cards import RelatedSource
from catalog.forms import SORT_CHOICES, CatalogFilterForm
from catalog.models import Product
from catalog.search import QUERY_LENGTH, search_page
from catalog.selectors import (
    category_listing,
    home_sections,
    product_get,
    product_kits,
    profile_recommendations,
    recommendation_profile,
    request_category_tree,
)

_UNKNOWN = object()


class CountedPaginator(Paginator):
    """A paginator told its count, so that a cached count saves a query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _page(paginator: Paginator, number):
    page = paginator.get_page(number)
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


def home(request):
    # The page cache reads the visitor's profile before it renders a page to share with that profile.
    profile = getattr(request, "page_profile", _UNKNOWN)
    if profile is _UNKNOWN:
        profile = recommendation_profile(user=request.user)
    context = {
        "sections": home_sections(),
        "tree": request_category_tree(request),
        "recommendations": profile_recommendations(profile=profile),
    }
    return render(request, "catalog/home.html", context)


def catalog_index(request):
    return render(request, "catalog/catalog_index.html", {"tree": request_category_tree(request)})


def category_detail(request, slug):
    tree = request_category_tree(request)
    node = tree.by_slug.get(slug)
    if node is None:
        raise Http404("Категория не найдена")
    attributes = tree.filter_attributes(node)
    form = CatalogFilterForm(request.GET, attribute_slugs=[a.slug for a in attributes])
    filters = form.listing_filters()
    category_ids = tree.descendant_ids(node)
    facets, products = category_listing(
        category_slug=node.slug, category_ids=category_ids, attributes=attributes, filters=filters
    )
    paginator = CountedPaginator(products, settings.CATALOG_PAGE_SIZE, count=facets.total)
    page = _page(paginator, request.GET.get("page"))
    return render(
        request,
        "catalog/category_detail.html",
        {
            "category": node,
            "ancestors": tree.ancestors(node),
            "form": form,
            "filters": filters,
            "facets": facets,
            "page": page,
            "sort_choices": SORT_CHOICES,
            "is_filtered": bool(
                filters.brands
                or filters.attributes
                or filters.in_stock
                or filters.price_min is not None
                or filters.price_max is not None
            ),
        },
    )


def product_detail(request, slug):
    try:
        product = product_get(slug=slug)
    except Product.DoesNotExist:
        raise Http404("Товар не найден") from None
    tree = request_category_tree(request)
    node = tree.by_id.get(product.category_id)
    ancestors = [*tree.ancestors(node), node] if node else []
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "ancestors": ancestors,
            # The cards of «Похожие товары» come from one entry per category (catalog.cards.related_cards).
            "related": RelatedSource(category_id=node.id, category_slug=node.slug, product_id=product.pk)
            if node
            else None,
            "kits": product_kits(product=product),
        },
    )


def search(request):
    # The search reads no further than QUERY_LENGTH characters, and the page shows what was searched for.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:QUERY_LENGTH]
    hits = page = None
    if query:
        hits, page = search_page(query=query, number=request.GET.get("page"), per_page=settings.CATALOG_PAGE_SIZE)
    return render(request, "catalog/search.html", {"query": query, "hits": hits, "page": page})
