"""Whole-page cache of the pages in PAGE_CACHE_VIEWS: one shared part per page, personal slots filled per request.

The shared part is rendered for nobody (anonymous user, blank session, a throwaway CSRF secret) and stored
with the version stamps of what it shows (catalog.versions); the visitor's parts (shop.personal) are filled in
on every answer. Keys hold only the query parameters a page understands (README, «What is cached»).
"""

import hashlib
import re
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string
from django.utils.http import urlencode
from django.utils.module_loading import import_string

from cart.selectors import CartSummary
from catalog.selectors import cache as catalog_cache
from catalog.versions import PRICE_KEYS, page_keys, remember, request_stamps, served_stale, stamps
from lists.selectors import state_keys as lists_state_keys
from shop.personal import VisitorParts, cart_changed, cart_owner_key, cart_summary_keys, placeholder, visitor_cart_owner
from shop.sessions import loaded_user

MAX_VALUES = 30
MAX_VALUE_LENGTH = 100

# The secret that pages are rendered with before they are stored; no visitor ever holds it.
_RENDER_SECRET = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
_TOKEN_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % (2 * CSRF_SECRET_LENGTH))
_BETWEEN_TAGS = re.compile(rb">\s+<")
_MISSING = object()
# What the request of a shared render carries instead of the visitor's own, restored afterwards.
_SWAPPED = ("user", "session")  # messages are a personal slot: a shared render never reads them


@dataclass
class _Visit:
    key: str
    version: tuple
    variant: str
    parts: list | None = None
    found: dict = field(default_factory=dict)
    hit: bool = False
    saved: dict = field(default_factory=dict)
    # On a page of the visitor's own (PAGE_CACHE_OWNER_VIEWS): the header's cart as the page counted it.
    summary: CartSummary | None = None
    own: bool = False


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


def _unmasked(token: str) -> str:
    """The secret of a masked CSRF token (its first half is the mask), as Django's CSRF middleware unmasks it."""
    mask, cipher = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    chars = CSRF_ALLOWED_CHARS
    return "".join(chars[chars.index(c) - chars.index(m)] for c, m in zip(cipher, mask, strict=False))


def _tokens_to_slots(content: bytes) -> bytes:
    """Swap every CSRF token made from the render secret for the "csrf" slot."""
    slot = placeholder("csrf").encode()

    def swap(match):
        token = match.group().decode()
        return slot if _unmasked(token) == _RENDER_SECRET else match.group()

    return _TOKEN_CANDIDATE.sub(swap, content)


def _split(content: bytes) -> list:
    """The shared HTML cut at its slots: text, slot name, text, ..., text."""
    mark = re.escape(placeholder("SLOT").encode()).replace(b"SLOT", rb"([a-z_]+)")
    parts = re.split(mark, content)
    return [part if index % 2 == 0 else part.decode() for index, part in enumerate(parts)]


def _join(parts: list, request, visit: _Visit) -> bytes:
    """The page for this visitor: the shared pieces with the visitor's own HTML in every slot."""
    # The header's cart sum holds while no price anywhere changed, whatever the page shows.
    visitor = VisitorParts(request, version=stamps(PRICE_KEYS, visit.found), found=visit.found, summary=visit.summary)
    return b"".join(part if index % 2 == 0 else visitor.html(part).encode() for index, part in enumerate(parts))


def _lookup(key: str, extra_keys: list[str], match) -> tuple[tuple, list | None, dict]:
    """The version stamps the page depends on (catalog.versions), the stored page if it was made under them,
    and the extra keys found.

    One round trip for all of them.
    """
    stamp_keys = page_keys(match.view_name, match.kwargs)
    found = catalog_cache.get_many([*dict.fromkeys([*stamp_keys, *PRICE_KEYS]), key, *extra_keys])
    # An extra key the cache lacks is there as None: the reader knows it was asked, and asks no more.
    found = {**dict.fromkeys(extra_keys), **found}
    remember(found, [*stamp_keys, *PRICE_KEYS])
    version = stamps(stamp_keys, found)
    entry = found.get(key)
    return version, (entry[1] if entry is not None and entry[0] == version else None), found


def _store(key: str, version: tuple, parts: list) -> None:
    catalog_cache.set(key, (version, parts), settings.PAGE_CACHE_SECONDS)


class PageCacheMiddleware:
    """Serve the allowlisted pages from their cached shared part, with every visitor's own parts filled in.

    Place it last in MIDDLEWARE: it needs the resolved view (process_view), and CsrfViewMiddleware,
    SessionMiddleware and MessageMiddleware must wrap it, so that the token, the session and the messages
    the filled-in parts use are saved after it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and settings.PAGE_CACHE_SECONDS > 0:
            return self._changing(request)
        with request_stamps():
            return self._reading(request)

    def _reading(self, request):
        response = self.get_response(request)
        visit = getattr(request, "page_cache_visit", None)
        if visit is None:
            return response
        if not visit.hit:
            storable = self._storable(request, response)
            # Templates print the "csrf" slot (shop.personal.csrf_slot); a token made from the render secret
            # anyway (get_token called by code) is found and swapped for the slot.
            minted = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
            self._end_shared_render(request, visit)
            if response.streaming:
                return response
            content = _tokens_to_slots(response.content) if minted else response.content
            visit.parts = _split(_compact(content) if storable else content)
            if storable:
                _store(visit.key, visit.version, visit.parts)
        response.content = _join(visit.parts, request, visit)
        patch_vary_headers(response, ("Cookie",))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self._owner_state(request) is not None:
            return self._own_page(request)
        allowed = self._allowed_parameters(request)
        if allowed is None:
            return None
        variant = self._variant(request)
        query = normalised_query(request.GET, allowed)
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
        name = f"{request.path}?{query}"
        profile_path = settings.PAGE_CACHE_PROFILE_VIEWS.get(request.resolver_match.view_name)
        if profile_path:
            # The view renders for this profile (request.page_profile), not for the user it came from.
            request.page_profile = import_string(profile_path)(user=request.user)
            if request.page_profile is not None:
                name = f"{name}|{request.page_profile!r}"
        digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
        key = f"page:{variant}:{digest}"
        owner = visitor_cart_owner(request)
        extra_keys = [*cart_summary_keys(owner), *lists_state_keys(owner)] if owner else []
        version, parts, found = _lookup(key, extra_keys, request.resolver_match)
        visit = _Visit(key=key, version=version, variant=variant, found=found)
        return self._serve_or_render(request, visit, parts)

    @staticmethod
    def _owner_state(request):
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        path = settings.PAGE_CACHE_OWNER_VIEWS.get(match.view_name) if match else None
        return import_string(path) if path else None

    def _own_page(self, request):
        """A page of the visitor's own (the cart), stored per owner under the digest of what it shows."""
        owner = visitor_cart_owner(request)
        if owner is None or request.GET:
            return None
        state = self._owner_state(request)(request=request)
        if state is None:
            return None
        digest, summary = state
        variant = self._variant(request)
        name = f"{owner}|{variant}|{request.path}|{digest}"
        key = "page:own:" + hashlib.sha256(name.encode()).hexdigest()
        version, parts, found = _lookup(key, list(lists_state_keys(owner)), request.resolver_match)
        visit = _Visit(key=key, version=version, variant=variant, found=found, summary=summary, own=True)
        return self._serve_or_render(request, visit, parts)

    def _serve_or_render(self, request, visit: _Visit, parts: list | None):
        """A hit answers at once (the slots are filled in on the way out); a miss lets the view render."""
        request.page_cache_visit = visit
        if parts is not None:
            visit.hit = True
            visit.parts = parts
            return HttpResponse()
        self._begin_shared_render(request, visit)
        return None

    def _changing(self, request):
        """Answer a request that may change the visitor's cart, then retire their header cart entries."""
        guest = cart_owner_key(session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        response = self.get_response(request)
        # The customer's entry only if the request looked at who they are: one that did not, changed no cart.
        user = loaded_user(request)
        cart_changed([guest, cart_owner_key(user=user)])
        return response

    @staticmethod
    def _allowed_parameters(request):
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        return settings.PAGE_CACHE_VIEWS.get(match.view_name) if match else None

    @staticmethod
    def _variant(request) -> str:
        """The key's variant for this visitor: whether the cards show VAT (a company buyer) or not."""
        user = request.user
        if not user.is_authenticated:
            return "retail"
        return "company" if user.is_b2b else "retail"

    @staticmethod
    def _begin_shared_render(request, visit: _Visit) -> None:
        """Let the view see an anonymous visitor of the variant, with the render secret for CSRF tokens.

        A page of the visitor's own keeps their user, session and messages (it is stored for them alone),
        and leaves only its slots and CSRF tokens for every answer to fill in.
        """
        visit.saved = {} if visit.own else {name: getattr(request, name, _MISSING) for name in _SWAPPED}
        for name in ("CSRF_COOKIE", "CSRF_COOKIE_NEEDS_UPDATE"):
            visit.saved[name] = request.META.get(name, _MISSING)
        if not visit.own:
            request.user = AnonymousUser()
            request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        request.META["CSRF_COOKIE"] = _RENDER_SECRET
        request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", None)  # set again if the render makes a token
        request.shared_page_variant = visit.variant

    @staticmethod
    def _end_shared_render(request, visit: _Visit) -> None:
        del request.shared_page_variant
        for name in () if visit.own else _SWAPPED:
            value = visit.saved[name]
            if value is _MISSING:
                delattr(request, name)
            else:
                setattr(request, name, value)
        for name in ("CSRF_COOKIE", "CSRF_COOKIE_NEEDS_UPDATE"):
            value = visit.saved[name]
            if value is _MISSING:
                request.META.pop(name, None)
            else:
                request.META[name] = value

    @staticmethod
    def _storable(request, response) -> bool:
        """Whether the answer of a shared render may be stored: a plain page that changed nothing, made from
        no shared read that is due for a rebuild (it would outlive the rebuild by PAGE_CACHE_SECONDS)."""
        return (
            response.status_code == 200
            and not served_stale()
            and not response.streaming
            and not response.cookies
            and not request.session.modified
            and not response.has_header("Set-Cookie")
        )
