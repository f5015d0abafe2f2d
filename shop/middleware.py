"""Response headers the whole shop shares, and the shop's answer while the database is away."""

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from shop.logging import REQUEST_ID_HEADER, request_id_from, request_id_var, request_var

logger = logging.getLogger(__name__)

# What a lost or refused connection raises: psycopg's OperationalError or InterfaceError as Django wraps them.
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


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
            request.GET = query = QueryDict(query.urlencode())  # immutable, as Django's own
            request.META["QUERY_STRING"] = query.urlencode()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Here rather than above: the 404 page needs the session and the user of the middleware that follow.
        if "\x00" in request.path_info:
            raise Http404("A NUL character in the path")


def database_down(error: BaseException | None) -> bool:
    """Whether an error says the database cannot be reached, rather than that a query was wrong."""
    while error is not None:
        if isinstance(error, DATABASE_DOWN):
            return True
        # Django's DatabaseError with a cause that is psycopg's OperationalError (a connection lost mid-query).
        if not isinstance(error, DatabaseError):
            return False
        error = error.__cause__
    return False


def unavailable() -> HttpResponse:
    """The shop's 503 page, made without a request, a context processor or a query."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_cache=True, no_store=True)
    return response


def _mark_database_down(sender, request=None, **kwargs):
    # Django turns an error of a middleware into a 500 before the middleware outside it sees the answer.
    if request is not None and database_down(sys.exc_info()[1]):
        request.database_down = True


got_request_exception.connect(_mark_database_down, dispatch_uid="shop.middleware.database_down")


class DatabaseDownMiddleware:
    """Answer the shop's 503 page (Retry-After: 60), never a 500, to a request that needed the unreachable
    database; what needs none of it (a page from the page cache) is answered as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_down", False):
            return unavailable()
        return response

    def process_exception(self, request, exception):
        if not database_down(exception):
            return None
        logger.error("database unreachable: %s", exception, exc_info=exception)
        return unavailable()
