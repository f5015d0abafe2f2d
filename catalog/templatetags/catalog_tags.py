import functools
from html import escape

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from catalog import cards
from catalog.cards import render_cards
from catalog.selectors import RELATED_LIMIT, category_top

register = template.Library()


@register.filter
def with_unit(value, unit):
    """«108» and «°» -> «108°»; «2.8» and «мм» -> «2.8 мм»."""
    if not unit:
        return value
    return f"{value}{unit}" if unit in {"°", "%"} else f"{value} {unit}"


def _encoded(query) -> dict[str, str]:
    """Each parameter of a query string encoded on its own («brand=a&brand=b»)."""
    return {key: urlencode([(key, value) for value in values]) for key, values in query.lists()}


def _replaced(encoded: dict[str, str], **changes) -> str:
    """The query string of `encoded` (`_encoded`) with some parameters replaced (None removes one), its
    parameters sorted: a listing builds a dozen links from one query, encoded once."""
    pairs = {key: part for key, part in encoded.items() if key not in changes}
    for key, value in changes.items():
        if value is not None and value != "":
            pairs[key] = urlencode([(key, value)])
    return "?" + "&".join(pairs[key] for key in sorted(pairs)) if pairs else "?"


def _request_encoded(context) -> dict[str, str]:
    """The request's query `_encoded`, once per render of a template."""
    query = context["request"].GET
    known = context.render_context.get("catalog_encoded_query")
    if known is None or known[0] is not query:
        known = context.render_context["catalog_encoded_query"] = (query, _encoded(query))
    return known[1]


@register.simple_tag(takes_context=True)
def pagination(context, page):
    """The page links of a listing, the other query parameters kept: «← Назад», numbers with «…», «Вперёд →».

    Plain formatting: a loop of template tags over a dozen links cost as much as the rest of the page.
    """
    if not page.has_other_pages():
        return ""
    encoded = _request_encoded(context)

    def link(number, text, rel=""):
        href = escape(_replaced(encoded, page=number))
        rel = f' rel="{rel}"' if rel else ""
        return f'<li class="page-item"><a class="page-link" href="{href}"{rel}>{text}</a></li>'

    items = []
    if page.has_previous():
        items.append(link(page.previous_page_number(), "← Назад", "prev"))
    for number in page.elided_range:
        if number == page.number:
            items.append(
                f'<li class="page-item active" aria-current="page"><span class="page-link">{number}</span></li>'
            )
        elif number == page.paginator.ELLIPSIS:
            items.append('<li class="page-item disabled"><span class="page-link">…</span></li>')
        else:
            items.append(link(number, number))
    if page.has_next():
        items.append(link(page.next_page_number(), "Вперёд →", "next"))
    html = "".join(items)
    nav = '<nav aria-label="Страницы" class="mt-4"><ul class="pagination justify-content-center flex-wrap">'
    return mark_safe(f"{nav}{html}</ul></nav>")  # noqa: S308 - numbers and escaped addresses


@register.simple_tag(takes_context=True)
def sort_row(context, choices, current):
    """The listing's sort orders: a select on phones (it submits the filter form), links on wider screens."""
    encoded = _request_encoded(context)
    options, links = [], []
    for value, label in choices:
        chosen = value == current
        if chosen:
            links.append(f'<span class="badge text-bg-dark" aria-current="true">{escape(label)}</span>')
        else:
            href = escape(_replaced(encoded, sort=value, page=None))
            links.append(f'<a href="{href}" class="link-secondary">{escape(label)}</a>')
        options.append(f'<option value="{escape(value)}"{" selected" if chosen else ""}>{escape(label)}</option>')
    return mark_safe(  # noqa: S308 - every value escaped
        '<div class="sort-row d-flex flex-wrap justify-content-lg-end align-items-center gap-2 mb-3 small">'
        '<label for="id_sort" class="text-body-secondary">Сортировка:</label>'
        '<select name="sort" id="id_sort" form="filters" class="form-select form-select-sm w-auto d-md-none" '
        f"data-autosubmit-select>{''.join(options)}</select>"
        '<noscript><button type="submit" form="filters" class="btn btn-sm btn-outline-secondary d-md-none">'
        "Применить</button></noscript>"
        f'<span class="d-none d-md-flex flex-wrap gap-2 align-items-center">{" ".join(links)}</span></div>'
    )


@functools.cache
def _crumb_roots(script_prefix: str, urlconf) -> str:
    items = (
        (reverse("catalog:home", urlconf=urlconf), "Главная"),
        (reverse("catalog:index", urlconf=urlconf), "Каталог"),
    )
    return "".join(f'<li class="breadcrumb-item"><a href="{escape(url)}">{name}</a></li>' for url, name in items)


@register.simple_tag
def breadcrumbs(crumbs, current=""):
    """«Главная / Каталог / …» down to the page: the categories (tree nodes) as links, then the page itself.

    Plain formatting, as the pagination: an include with its tags cost a tenth of a category page's render.
    """
    items = [_crumb_roots(get_script_prefix(), get_urlconf())]
    items.extend(
        f'<li class="breadcrumb-item"><a href="{escape(node.get_absolute_url())}">{escape(node.name)}</a></li>'
        for node in crumbs or ()
    )
    if current:
        items.append(f'<li class="breadcrumb-item active" aria-current="page">{escape(str(current))}</li>')
    html = "".join(items)
    return mark_safe(f'<nav aria-label="Навигация" class="mb-3"><ol class="breadcrumb small mb-0">{html}</ol></nav>')  # noqa: S308 - escaped


def _shown(request) -> set[int]:
    """The products whose card this page already placed (their ids must stay unique on the page)."""
    if request is None:
        return set()
    shown = getattr(request, "catalog_cards_shown", None)
    if shown is None:
        shown = request.catalog_cards_shown = set()
    return shown


@register.simple_tag(takes_context=True)
def product_cards(context, products):
    """The grid's product cards, each from the card cache when it holds (catalog.cards)."""
    request = context.get("request")
    html = render_cards(
        products,
        is_b2b=bool(context.get("is_b2b")),
        csrf_token=str(context.get("csrf_token", "")),
        next_url=request.get_full_path() if request is not None else "",
        shown=_shown(request),
    )
    return mark_safe(html)  # noqa: S308 - built from autoescaped templates and an escaped address


@register.simple_tag(takes_context=True)
def related_cards(context, source):
    """The «Похожие товары» of a product page, from the one entry its category shares (catalog.cards)."""
    request = context.get("request")
    is_b2b = bool(context.get("is_b2b"))
    pairs = cards.related_cards(
        source,
        is_b2b=is_b2b,
        limit=RELATED_LIMIT,
        load=lambda: category_top(category_id=source.category_id, limit=RELATED_LIMIT + 1),
    )
    if not pairs:
        return ""
    html = cards.place_cards(
        pairs,
        shown=_shown(request),
        csrf_token=str(context.get("csrf_token", "")),
        next_url=request.get_full_path() if request is not None else "",
    )
    return mark_safe(html)  # noqa: S308 - built from autoescaped templates and an escaped address


@functools.lru_cache(maxsize=20_000)
def _option_parts(name: str, value: str, input_id: str, label: str) -> tuple[str, str]:
    # The same few thousand options come back on every page of the catalogue: escaped once per process.
    name, value, input_id, label = escape(name), escape(value), escape(input_id), escape(label)
    return (
        f'<div class="form-check"><input class="form-check-input" type="checkbox" name="{name}" value="{value}" '
        f'id="{input_id}"',
        f'><label class="form-check-label d-flex justify-content-between" for="{input_id}">{label} '
        '<span class="text-muted small ms-2">',
    )


def _option(name: str, value: str, input_id: str, label: str, count: int, checked: bool) -> str:
    start, label_start = _option_parts(name, value, input_id, label)
    return f"{start}{' checked' if checked else ''}{label_start}{int(count)}</span></label></div>"


@register.simple_tag
def filter_options(facets, filters):
    """The brand and attribute checkboxes of the filter panel, with counts: one node instead of hundreds.

    Built with plain string formatting and html.escape: a root category has a hundred options, and
    format_html per option would cost as much as the template it replaces.
    """
    fieldsets = []
    if facets.brands:
        chosen = set(filters.brands)
        options = "".join(
            _option("brand", b["slug"], f"brand-{b['slug']}", b["name"], b["count"], b["slug"] in chosen)
            for b in facets.brands
        )
        fieldsets.append(("Бренд", options))
    chosen_values = dict(filters.attributes)
    for attribute in facets.attributes:
        slug = attribute["slug"]
        chosen = set(chosen_values.get(slug, ()))
        options = "".join(
            _option(f"a_{slug}", o["value"], f"a-{slug}-{n}", o["value"], o["count"], o["value"] in chosen)
            for n, o in enumerate(attribute["values"], 1)
        )
        legend = f"{attribute['name']}, {attribute['unit']}" if attribute["unit"] else attribute["name"]
        fieldsets.append((legend, options))
    html = "".join(
        f'<fieldset class="mb-3"><legend class="h6">{escape(legend)}</legend>{options}</fieldset>'
        for legend, options in fieldsets
    )
    return mark_safe(html)  # noqa: S308 - every value in it passed through html.escape
