from django import template
from django.utils.http import urlencode

from core.money import format_rub

register = template.Library()


@register.filter
def rub(amount):
    """Format an amount as «12 990 ₽»."""
    return format_rub(amount)


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
