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


@register.simple_tag(takes_context=True)
def csrf_input(context):
    """The CSRF field; on a cacheable page a placeholder that the page cache fills per request."""
    from django.middleware.csrf import get_token
    from django.utils.html import format_html

    from catalog.pagecache import CSRF_PLACEHOLDER

    request = context.get("request")
    if request is None:
        return ""
    token = CSRF_PLACEHOLDER if getattr(request, "csrf_deferred", False) else get_token(request)
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
