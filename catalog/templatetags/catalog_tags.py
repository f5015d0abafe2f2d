from django import template
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from catalog.cards import render_cards

register = template.Library()


@register.filter
def with_unit(value, unit):
    """«108» and «°» -> «108°»; «2.8» and «мм» -> «2.8 мм»."""
    if not unit:
        return value
    return f"{value}{unit}" if unit in {"°", "%"} else f"{value} {unit}"


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None and value != "":
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.simple_tag(takes_context=True)
def product_cards(context, products):
    """The grid's product cards, each from the card cache when it holds (catalog.cards)."""
    request = context.get("request")
    html = render_cards(
        products,
        is_b2b=bool(context.get("is_b2b")),
        csrf_token=str(context.get("csrf_token", "")),
        next_url=request.get_full_path() if request is not None else "",
    )
    return mark_safe(html)  # noqa: S308 - built from autoescaped templates and an escaped address
