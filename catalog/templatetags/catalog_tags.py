from django import template
from django.utils.http import urlencode

from catalog.money import format_rub

register = template.Library()


@register.filter
def rub(amount):
    """Format an amount as «12 990 ₽»."""
    return format_rub(amount)


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None and value != "":
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"
