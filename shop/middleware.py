"""Response headers the whole shop shares."""

from django.conf import settings
from django.http import Http404, QueryDict
from django.utils.cache import patch_cache_control

from shop.logging import REQUEST_ID_HEADER, request_id_from, request_id_var, request_var


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


class RequestIdMiddleware:
    """Take the caller's `X-Request-ID` or make one, keep it for the log while the request runs, send it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        id_token = request_id_var.set(request_id)
        request_token = request_var.set(request)
        try:
            response = self.get_response(request)
        finally:
            request_var.reset(request_token)
            request_id_var.reset(id_token)
        response[REQUEST_ID_HEADER] = request_id
        return response


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
    """Answer the shop's 404 to a NUL character in the path and drop NULs from the query string: no page means
    one, and PostgreSQL refuses them in text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info and not request.path_info.endswith("/"):
            # Ending in a slash, the path is not redirected to one (CommonMiddleware): it is a 404 at once.
            request.path_info += "/"
            request.path += "/"
        lists = list(request.GET.lists())
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in lists):
            query = QueryDict(mutable=True)
            for key, values in lists:
                query.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            query._mutable = False
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Here rather than above: the 404 page needs the session and the user of the middleware that follow.
        if "\x00" in request.path_info:
            raise Http404("A NUL character in the path")
