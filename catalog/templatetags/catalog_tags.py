from django import template
from django.utils.http import urlencode

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
