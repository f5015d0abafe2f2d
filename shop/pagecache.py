"""Whole-page cache for visitors without a session, for the pages named in PAGE_CACHE_VIEWS.

A visitor with no session cookie has no cart, no messages and no account, so every such visitor sees the
same page for the same URL. Only the query parameters a page understands make its key, normalised and
sorted, and the view sees the same normalised query: `?utm=1` and `?utm=2` are one entry, not two.

Templates use the plain `{% csrf_token %}`. While a page that will be stored is rendered, the request
carries a throwaway CSRF secret of this process; every token made from it is swapped for a placeholder
in the stored HTML, and the placeholder becomes the visitor's own token on every answer. A cached page
therefore never carries another visitor's token, and a form on it works for everyone.

The pages live in the "catalog" cache, stored with the version stamps of what they show (catalog.versions),
so a catalog edit retires the pages it changes; that cache may evict and may be away (a miss then renders
the page as usual).
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, _unmask_cipher_token, get_token
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string
from django.utils.http import urlencode

from catalog.selectors import cache as catalog_cache
from catalog.versions import page_lookup

CSRF_PLACEHOLDER = "__shop_csrf_token__"
MAX_VALUES = 30
MAX_VALUE_LENGTH = 100

# The secret that pages are rendered with before they are stored; no visitor ever holds it.
_RENDER_SECRET = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
_TOKEN_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % (2 * CSRF_SECRET_LENGTH))
_BETWEEN_TAGS = re.compile(rb">\s+<")
_MISSING = object()


@dataclass
class _Visit:
    key: str
    version: tuple
    csrf_cookie: object = _MISSING
    csrf_needs_update: object = _MISSING
    hit: bool = False


def _known(name: str, allowed) -> bool:
    return any(name == pattern or (pattern.endswith("*") and name.startswith(pattern[:-1])) for pattern in allowed)


def normalised_query(query: QueryDict, allowed) -> str:
    """The parameters the page understands, sorted, each value trimmed; everything else dropped."""
    pairs = []
    for name in sorted(query):
        if not _known(name, allowed):
            continue
        values = sorted({v.strip()[:MAX_VALUE_LENGTH] for v in query.getlist(name) if v.strip() and "\x00" not in v})
        pairs.extend((name, value) for value in values[:MAX_VALUES])
    return urlencode(pairs)


def _compact(content: bytes) -> bytes:
    """Drop the white space between tags: a third of a catalog page, sent on every hit."""
    return _BETWEEN_TAGS.sub(b"> <", content)


def _tokens_to_placeholder(content: bytes) -> bytes:
    """Swap every CSRF token made from the render secret for the placeholder."""

    def swap(match):
        token = match.group().decode()
        return CSRF_PLACEHOLDER.encode() if _unmask_cipher_token(token) == _RENDER_SECRET else match.group()

    return _TOKEN_CANDIDATE.sub(swap, content)


class PageCacheMiddleware:
    """Serve the allowlisted pages whole from the cache to visitors without a session.

    Place it last in MIDDLEWARE: it needs the resolved view (process_view), and CsrfViewMiddleware must
    wrap it, so that the visitor's token it asks for is sent as a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        visit = getattr(request, "_page_cache_visit", None)
        if visit is None:
            return response
        if not visit.hit:
            self._restore_csrf(request, visit)
            if not response.streaming:
                response.content = _tokens_to_placeholder(response.content)
                if self._storable(request, response):
                    response.content = _compact(response.content)
                    catalog_cache.set(visit.key, (visit.version, response.content), settings.PAGE_CACHE_SECONDS)
        if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
            response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        patch_vary_headers(response, ("Cookie",))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = self._allowed_parameters(request)
        if allowed is None:
            return None
        query = normalised_query(request.GET, allowed)
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
        digest = hashlib.sha1(f"{request.path}?{query}".encode(), usedforsecurity=False).hexdigest()
        key = f"page:{digest}"
        # One round trip: the stamps the page depends on and the page, stored with the stamps it was made at.
        version, content = page_lookup(key, request.resolver_match)
        visit = request._page_cache_visit = _Visit(key=key, version=version)
        if content is not None:
            visit.hit = True
            return HttpResponse(content)
        visit.csrf_cookie = request.META.get("CSRF_COOKIE", _MISSING)
        visit.csrf_needs_update = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", _MISSING)
        request.META["CSRF_COOKIE"] = _RENDER_SECRET
        return None

    @staticmethod
    def _allowed_parameters(request):
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        match = request.resolver_match
        return settings.PAGE_CACHE_VIEWS.get(match.view_name) if match else None

    @staticmethod
    def _restore_csrf(request, visit: _Visit) -> None:
        for name, value in (("CSRF_COOKIE", visit.csrf_cookie), ("CSRF_COOKIE_NEEDS_UPDATE", visit.csrf_needs_update)):
            if value is _MISSING:
                request.META.pop(name, None)
            else:
                request.META[name] = value

    @staticmethod
    def _storable(request, response) -> bool:
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.cookies
            and not (session is not None and session.modified)
            and not response.has_header("Set-Cookie")
        )
