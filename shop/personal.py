"""A visitor's own parts of a page: the header's account block, cart and lists, messages, CSRF tokens.

`{% personal "name" %}` fills each from the context on a page rendered in full, or leaves a placeholder on a
shared page (shop.pagecache) that `VisitorParts` fills per request. There the header's cart sum is kept per
owner while the catalogue's version and the owner's cart generation (`cart_changed`) hold.
"""

import functools
import re
import time
from itertools import zip_longest

from django import template
from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cart.selectors import EMPTY_SUMMARY, CartSummary, cart_summary
from catalog.selectors import cache as catalog_cache
from catalog.selectors import request_category_tree
from catalog.versions import PRICE_KEYS, fetch, stamps
from core.money import format_rub
from core.owners import owner_cache_key
from core.phones import format_phone
from core.text import plural
from lists.header import header_html as lists_header_html

SLOTS = ("account", "cart_badge", "cart_summary", "messages", "csrf", "lists")
# A generation outlives the entries it validates many times over; an evicted one is simply made anew.
GENERATION_SECONDS = 7 * 24 * 60 * 60

register = template.Library()


@functools.cache
def _nonce() -> str:
    # Derived from the secret key, so every process writes and reads the same placeholders, and no text
    # a visitor types (a search query) can ever look like one.
    return salted_hmac("shop.personal.placeholder", "slot").hexdigest()[:20]


def placeholder(name: str) -> str:
    """The mark a slot leaves in the shared HTML of a cached page."""
    return format_html("<!--personal:{}:{}-->", name, _nonce())


@functools.cache
def _urls() -> dict[str, str]:
    try:
        orders = reverse("orders:list")
    except NoReverseMatch:
        orders = ""
    return {
        "orders": orders,
        "profile": reverse("accounts:profile"),
        "logout": reverse("account_logout"),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
    }


def csrf_input(token: str) -> str:
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def account_html(*, user, company, csrf_token: str) -> str:
    """The header's account items: the customer's name, company, orders and «Выйти», or «Войти» for a guest."""
    urls = _urls()
    if user is None or not user.is_authenticated:
        return format_html(
            '<li class="nav-item"><a class="nav-link" href="{}">Войти</a></li>\n'
            '<li class="nav-item"><a class="btn btn-outline-primary btn-sm text-nowrap" href="{}">'
            "Зарегистрироваться</a></li>",
            urls["login"],
            urls["signup"],
        )
    items = []
    if company is not None:
        items.append(
            format_html(
                '<li class="nav-item small text-body-secondary me-2" data-testid="header-company">{}</li>', company.name
            )
        )
    if urls["orders"]:
        items.append(
            format_html(
                '<li class="nav-item"><a class="nav-link" href="{}" data-testid="header-orders">Мои заказы</a></li>',
                urls["orders"],
            )
        )
    name = user.first_name or user.email or format_phone(user.phone)
    items.append(
        format_html(
            '<li class="nav-item"><a class="nav-link" href="{}" data-testid="header-profile">{}</a></li>',
            urls["profile"],
            name,
        )
    )
    items.append(
        format_html(
            '<li class="nav-item"><form method="post" action="{}">{}'
            '<button class="btn btn-link nav-link" type="submit">Выйти</button></form></li>',
            urls["logout"],
            csrf_input(csrf_token),
        )
    )
    return format_html_join("\n", "{}", ((item,) for item in items))


def cart_badge_html(summary: CartSummary) -> str:
    """The number on the header's cart icon; nothing for an empty cart."""
    if not summary.count:
        return ""
    return format_html(
        '<span class="header-cart__badge badge rounded-pill text-bg-primary" data-testid="header-cart-count">{}</span>',
        summary.count,
    )


def cart_summary_html(summary: CartSummary) -> str:
    """«3 товара · 12 990 ₽» under the header's «Корзина»; nothing for an empty cart."""
    if not summary.count:
        return ""
    return format_html(
        '<span class="d-block small text-body-secondary text-nowrap" data-testid="header-cart-summary">'
        '<span class="header-cart__count">{} · </span>{}</span>',
        plural(summary.count, "товар", "товара", "товаров"),
        format_rub(summary.total),
    )


def messages_html(messages) -> str:
    """The visitor's messages (consumed by showing them), or nothing."""
    if not messages:
        return ""
    return render_to_string("includes/messages.html", {"messages": messages})


def cart_owner_key(*, user=None, session_key: str | None = None) -> str | None:
    """Whose cart the header shows, as a part of a cache key: never the session key itself."""
    if user is not None and user.is_authenticated:
        return owner_cache_key(user_id=user.pk)
    return owner_cache_key(session_key=session_key)


def cart_summary_keys(owner: str) -> tuple[str, str]:
    """The cache keys of an owner's header cart entry and of their cart generation."""
    return f"header-cart:{owner}", f"header-cart-generation:{owner}"


def visitor_cart_owner(request) -> str | None:
    return cart_owner_key(user=request.user, session_key=request.session.session_key)


def cart_changed(owners) -> None:
    """Retire the header cart entries of these owners: called after every request that may change a cart."""
    generation = time.time_ns()
    keys = {cart_summary_keys(owner)[1]: generation for owner in owners if owner}
    if keys:
        catalog_cache.set_many(keys, GENERATION_SECONDS)


def cached_cart_summary(request, *, version: int, found: dict) -> CartSummary:
    """The header's count and sum for the visitor, from the owner's entry when it is still valid.

    `found` holds what the page's lookup fetched of the owner's keys in the same round trip.
    """
    owner = visitor_cart_owner(request)
    if owner is None:
        return EMPTY_SUMMARY
    entry_key, generation_key = cart_summary_keys(owner)
    generation, entry = found.get(generation_key), found.get(entry_key)
    if generation is not None and entry is not None and entry[:2] == (version, generation):
        return CartSummary(count=entry[2], total=entry[3])
    if generation is None:
        generation = time.time_ns()
        if not catalog_cache.add(generation_key, generation, GENERATION_SECONDS):
            generation = catalog_cache.get(generation_key)
    # Counted after the generation was read: a change that lands meanwhile sets a newer one.
    summary = cart_summary(request=request)
    if generation is not None:
        catalog_cache.set(entry_key, (version, generation, summary.count, summary.total), settings.PAGE_CACHE_SECONDS)
    return summary


def header_cart(request) -> dict:
    """Context processor: the header's cart count and sum, worked out only if a template shows them. A GET takes
    them from the owner's entry while it holds (`cached_cart_summary`): one cache round trip instead of a query.
    Any other request counts them, as it may have changed the cart before its page renders."""

    def summary() -> CartSummary:
        if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
            return cart_summary(request=request)
        owner = visitor_cart_owner(request)
        if owner is None:
            return EMPTY_SUMMARY
        found = fetch([*cart_summary_keys(owner), *PRICE_KEYS])
        return cached_cart_summary(request, version=stamps(PRICE_KEYS, found), found=found)

    lazy = SimpleLazyObject(summary)
    return {"cart_summary": lazy, "cart_count": SimpleLazyObject(lambda: lazy.count)}


class VisitorParts:
    """The HTML of every slot for the visitor of a request, each worked out on first use."""

    def __init__(self, request, *, version: int, found: dict, summary: CartSummary | None = None):
        self.request = request
        self.version = version
        self.found = found
        if summary is not None:
            # Counted by the page itself in this request (the cart page): fresher than any cached entry.
            self.__dict__["summary"] = summary

    @cached_property
    def csrf_token(self) -> str:
        return get_token(self.request)

    @cached_property
    def summary(self) -> CartSummary:
        return cached_cart_summary(self.request, version=self.version, found=self.found)

    def html(self, name: str) -> str:
        if name == "csrf":
            return self.csrf_token
        if name == "cart_badge":
            return cart_badge_html(self.summary)
        if name == "cart_summary":
            return cart_summary_html(self.summary)
        if name == "messages":
            return messages_html(get_messages(self.request))
        if name == "lists":
            return lists_header_html(request=self.request, found=self.found)
        if name == "account":
            user = self.request.user
            company = user.company if user.is_authenticated and user.company_id else None
            return account_html(user=user, company=company, csrf_token=self.csrf_token)
        raise ValueError(f"Unknown personal slot {name!r}")


def _shared_render(request) -> bool:
    """Whether the request renders a page for the page cache (shop.pagecache), for nobody in particular."""
    return getattr(request, "shared_page_variant", None) is not None


def csrf_slot(request) -> dict:
    """Context processor: while a page for the page cache renders, its CSRF token is the "csrf" slot.

    Listed after Django's own csrf processor, whose lazy token it replaces: the shared render then makes no
    token at all, and the page needs no search for tokens before it is stored.
    """
    if _shared_render(request):
        return {"csrf_token": placeholder("csrf")}
    return {}


def _slot_html(context, name: str) -> str:
    """A slot's HTML for the visitor of a page rendered in full, from its context."""
    if name == "csrf":
        return str(context.get("csrf_token"))
    if name == "cart_badge":
        return cart_badge_html(context.get("cart_summary") or EMPTY_SUMMARY)
    if name == "cart_summary":
        return cart_summary_html(context.get("cart_summary") or EMPTY_SUMMARY)
    if name == "messages":
        return messages_html(context.get("messages"))
    if name == "lists":
        return lists_header_html(request=context.get("request"))
    return account_html(
        user=context.get("user"), company=context.get("customer_company"), csrf_token=str(context.get("csrf_token"))
    )


@register.simple_tag(takes_context=True)
def personal(context, name: str) -> str:
    """A visitor's own part of the page: filled from the context, or a placeholder on a page for the page cache."""
    if name not in SLOTS:
        raise template.TemplateSyntaxError(f"Unknown personal slot {name!r}")
    if context.get(_FOR_EVERYONE) or _shared_render(context.get("request")):
        return placeholder(name)
    return _slot_html(context, name)


# The frame parts this process made: template → (category tree, HTML cut at its slots: text, slot, text...).
_frames: dict[str, tuple] = {}
_FOR_EVERYONE = "frame_for_everyone"


@register.simple_tag(takes_context=True)
def frame(context, template_name: str, **inputs) -> str:
    """A part of the page frame (header, footer) that reads nothing of the page but `inputs`, the category
    tree and its slots: made once per process and category tree while the inputs are empty (a search's
    query is not), then given each visitor's slots."""
    template = context.template.engine.get_template(template_name)
    request = context.get("request")
    if request is None or any(inputs.values()) or settings.DEBUG:  # DEBUG: template edits show at once
        with context.push(**inputs):
            return template.render(context)
    tree = request_category_tree(request)
    made = _frames.get(template_name)
    if made is None or made[0] is not tree:
        with context.push(**inputs, **{_FOR_EVERYONE: True, "csrf_token": placeholder("csrf")}):
            html = template.render(context)
        made = _frames[template_name] = (tree, _slot_mark().split(html))
    parts = made[1]
    if _shared_render(request):
        slot = (placeholder(part) for part in parts[1::2])
    else:
        slot = (_slot_html(context, part) for part in parts[1::2])
    html = "".join(piece for pair in zip_longest(parts[::2], slot, fillvalue="") for piece in pair)
    return mark_safe(html)  # noqa: S308 - the template's own output and slots made by format_html


@functools.cache
def _slot_mark() -> re.Pattern:
    return re.compile(re.escape(placeholder("SLOT")).replace("SLOT", "([a-z_]+)"))
