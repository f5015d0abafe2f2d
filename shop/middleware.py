"""Response headers the whole shop shares."""

from django.conf import settings
from django.http import QueryDict
from django.utils.cache import patch_cache_control


def is_personal(request) -> bool:
    """Whether the page may show a person's data: a signed-in visitor, or a page of their own (cart, profile)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return bool(set(match.namespaces) & set(settings.PERSONAL_URL_NAMESPACES)) or (match.url_name or "").startswith(
        "account_"
    )


class ShopHeadersMiddleware:
    """Send Permissions-Policy on every answer and keep pages with a person's data out of every cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if is_personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


class StripNulMiddleware:
    """Drop NUL characters from the query string: no page means one, and PostgreSQL refuses them in text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lists = list(request.GET.lists())
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in lists):
            query = QueryDict(mutable=True)
            for key, values in lists:
                query.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            query._mutable = False
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
        return self.get_response(request)
