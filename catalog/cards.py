"""Product cards, rendered once per product version and shared by every grid through the cache.

A card's key holds what it shows (the product's `updated_at`, availability, VAT shown or not) and its entry
the stamps that `catalog.changes` moves; the grid fills in the CSRF token and the page's address once, and
drops repeated ids so every id on a page is unique.
"""

import functools
import time
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.urls import reverse

from catalog.facets import ListedProduct
from catalog.selectors import card_products, first_images
from catalog.versions import GLOBAL_KEY, cache, card_key, category_key, fetch, proposed_stamps, stamps
from core.caches import add_many
from core.money import format_rub
from core.sql import epoch_microseconds
from core.text import soft_hyphens
from core.vat import vat_note

CSRF_MARK = "__card_csrf_token__"
NEXT_MARK = "__card_next_url__"
# Keys change with every edit, so an entry is never stale; this only bounds what an unused card occupies.
CARD_SECONDS = 24 * 60 * 60


def _edited(product) -> int | None:
    """The product's `updated_at` in microseconds: read as such (a listed or card product) or worked out."""
    edited = getattr(product, "edited", None)
    if edited is None and "updated_at" in product.__dict__:
        edited = epoch_microseconds(product.updated_at)
    return edited


def _key(product, is_b2b: bool) -> str | None:
    edited = _edited(product)
    if edited is None:
        return None  # a product read without its edit time cannot be told apart from an older version
    availability = product.availability
    return f"catalog:card:v3:{product.pk}:{edited}:{availability.code}:{availability.lead_days}:{int(is_b2b)}"


def _brand_name(product) -> str:
    if hasattr(product, "brand_name"):  # a CardProduct (catalog.selectors.card_products)
        return product.brand_name or ""
    return product.brand.name if product.brand_id else ""


def card_context(product, *, is_b2b: bool, add_url: str, image=None) -> dict:
    """Everything a card shows, already formatted: `card_markup` only places it."""
    brand = _brand_name(product)
    return {
        "pk": product.pk,
        "url": product.get_absolute_url(),
        "thumbnail": image.thumbnail_url if image else "",
        "alt": (image.alt if image else "") or product.name,
        "discount": product.discount_percent,
        "brand": brand,
        "name": product.name,
        "title": soft_hyphens(product.name),
        "availability": product.availability,
        "price": format_rub(product.price),
        "old_price": format_rub(product.old_price) if product.old_price else "",
        "vat": vat_note(product.vat_rate) if is_b2b else "",
        "add_url": add_url,
    }


@functools.cache
def _list_toggles() -> str:
    """The favourite and compare toggles of a card (lists app), with the marks and a `{pk}` to fill in: each
    visitor's own state is marked by the lists' script, never stored in the card."""
    forms = []
    for name, label, icon in (
        (
            "favorites",
            "В избранное",
            '<path d="M12 20.5s-7.5-4.6-9.3-9.2C1.6 8.2 3.5 4.5 7 4.5c2 0 3.6 1.1 5 3 '
            '1.4-1.9 3-3 5-3 3.5 0 5.4 3.7 4.3 6.8-1.8 4.6-9.3 9.2-9.3 9.2z"/>',
        ),
        ("compare", "Сравнить", '<path d="M12 3v18M7 21h10M4 7h16M4 7l-3 7a3 3 0 0 0 6 0zM20 7l-3 7a3 3 0 0 0 6 0z"/>'),
    ):
        forms.append(
            f'<form method="post" action="{escape(reverse(f"lists:{name}_toggle"))}" data-list-toggle="{name}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_MARK}">'
            '<input type="hidden" name="product" value="{pk}">'
            f'<input type="hidden" name="back" value="{NEXT_MARK}#product-{{pk}}">'
            '<button type="submit" class="btn btn-sm btn-outline-secondary list-toggle" aria-pressed="false">'
            '<svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" '
            f'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">{icon}</svg>'
            f'<span class="visually-hidden" data-list-label>{label}</span></button></form>'
        )
    return '<div class="product-card__lists d-flex gap-1 mb-2">' + "".join(forms) + "</div>"


def card_markup(card: dict) -> str:
    """A card's HTML with the CSRF and return-address marks: plain formatting with every value escaped,
    a tenth of what a template costs, and 24 of them on a listing page."""
    pk, url, availability = card["pk"], escape(card["url"]), card["availability"]
    if card["thumbnail"]:
        picture = (
            f'<img src="{escape(card["thumbnail"])}" alt="{escape(card["alt"])}" loading="lazy" width="400" '
            'height="300" class="img-fluid">'
        )
    else:
        picture = '<span class="product-card__noimage">Нет фото</span>'
    if card["discount"]:
        picture += f'<span class="badge text-bg-danger product-card__badge">−{int(card["discount"])}%</span>'
    brand = f'<div class="small text-body-secondary">{escape(card["brand"])}</div>' if card["brand"] else ""
    old_price = (
        f'<span class="price text-body-secondary text-decoration-line-through small">{escape(card["old_price"])}</span>'
        if card["old_price"]
        else ""
    )
    vat = f'<div class="small text-body-secondary">{escape(card["vat"])}</div>' if card["vat"] else ""
    if availability.can_order:
        action = (
            f'<form method="post" action="{escape(card["add_url"])}" class="mt-2" data-add-to-cart>'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_MARK}">'
            f'<input type="hidden" name="product" value="{pk}">'
            f'<input type="hidden" name="next" value="{NEXT_MARK}#product-{pk}">'
            '<button type="submit" class="btn btn-primary btn-sm w-100">Добавить в корзину</button></form>'
        )
    else:
        action = (
            '<button type="button" class="btn btn-outline-secondary btn-sm w-100 mt-2" disabled>Нет в наличии</button>'
        )
    return (
        f'<div class="card product-card h-100 border-0 shadow-sm" id="product-{pk}" data-testid="product-card">'
        f'<a href="{url}" class="product-card__image d-block text-center p-3">{picture}</a>'
        f'<div class="card-body d-flex flex-column pt-0">{brand}'
        f'<a href="{url}" class="product-card__title text-reset text-decoration-none fw-semibold mb-2" '
        f'title="{escape(card["name"])}">{escape(card["title"])}</a>'
        f'<div class="small mb-2"><span class="availability availability--{escape(availability.code)}">'
        f"{escape(availability.label)}</span></div>"
        f"{_list_toggles().replace('{pk}', str(pk))}"
        f'<div class="mt-auto"><div class="d-flex align-items-baseline gap-2">'
        f'<span class="price fs-5 fw-bold">{escape(card["price"])}</span>{old_price}</div>{vat}{action}</div>'
        "</div></div>"
    )


def _readable(products: list) -> dict[int, object]:
    """The products to render a card of, by id: a listed one read from the database (one query; one taken
    off sale meanwhile is left out), any other as it is."""
    listed = [product.pk for product in products if isinstance(product, ListedProduct)]
    readable = {product.pk: product for product in products if not isinstance(product, ListedProduct)}
    if listed:
        readable.update((product.pk, product) for product in card_products(listed))
    return readable


def card_pairs(products, *, is_b2b: bool) -> list[tuple[int, str]]:
    """Each product's card with its marks, as (pk, card): from the cache when it holds, the missing ones
    rendered and stored (a listed product no longer on sale has none)."""
    products = list(products)
    keys = [_key(product, is_b2b) for product in products]
    version_keys = [GLOBAL_KEY, *dict.fromkeys(card_key(product.pk) for product in products)]
    found = fetch([*version_keys, *filter(None, keys)])
    # A card never edited has no stamp yet: it is proposed here and started with the card's entry.
    current, proposals = proposed_stamps(version_keys, found)
    global_stamp = current[GLOBAL_KEY]
    under = [(global_stamp, current[card_key(product.pk)]) for product in products]
    held = {}
    for key, stamp_pair in zip(keys, under, strict=True):
        entry = found.get(key) if key else None
        if entry is not None and entry[0] == stamp_pair:
            held[key] = entry[1]
    to_render = [product for product, key in zip(products, keys, strict=True) if key not in held]
    if to_render:
        readable = _readable(to_render)
        # The pictures only for the cards rendered now: one query, none when every card is in the cache.
        images = first_images(product_ids=list(readable))
        add_url = reverse("cart:add")
    missing = {}
    pairs = []
    for product, key, stamp_pair in zip(products, keys, under, strict=True):
        html = held.get(key)
        if html is None:
            product = readable.get(product.pk)
            if product is None:
                continue
            context = card_context(product, is_b2b=is_b2b, add_url=add_url, image=images.get(product.pk))
            html = card_markup(context)
            # Under the key of what was read: a listing whose store or stock units are behind finds it once
            # they catch up, and renders the card again meanwhile rather than show one that never was.
            if read_key := _key(product, is_b2b):
                missing[read_key] = (stamp_pair, html)
        pairs.append((product.pk, html))
    if missing or proposals:
        _store_cards(proposals, missing)
    return pairs


def _store_cards(proposals: dict, entries: dict) -> None:
    """Start the proposed stamps, then store the cards rendered under them."""
    if proposals:
        add_many(cache, proposals, timeout=None)
    if entries:
        cache.set_many(entries, CARD_SECONDS)


def place_cards(cards: list[tuple[int, str]], *, shown: set[int], csrf_token: str, next_url: str) -> str:
    """The grid's columns from (pk, card) pairs: this visitor's token and return address filled in, and the
    `id` left only on the first card of a product on the page (`shown` holds the ones already placed)."""
    columns = []
    for pk, html in cards:
        if pk in shown:
            # «Добавить в корзину» of a repeated card returns to the product's first card, which keeps the id.
            html = html.replace(f' id="product-{pk}"', "", 1)
        shown.add(pk)
        columns.append(f'<div class="col">{html}</div>')
    return "".join(columns).replace(CSRF_MARK, csrf_token).replace(NEXT_MARK, escape(next_url))


def render_cards(products, *, is_b2b: bool, csrf_token: str, next_url: str, shown: set[int] | None = None) -> str:
    """The grid's columns: every card from the cache when it holds, the missing ones rendered and stored."""
    pairs = card_pairs(products, is_b2b=is_b2b)
    return place_cards(pairs, shown=set() if shown is None else shown, csrf_token=csrf_token, next_url=next_url)


@dataclass(frozen=True)
class RelatedSource:
    """Where a product page's «Похожие товары» come from: the top of its category, itself left out."""

    category_id: int
    category_slug: str
    product_id: int


def related_cards(source: RelatedSource, *, is_b2b: bool, limit: int, load) -> list[tuple[int, str]]:
    """The related cards of a product page as (pk, card) pairs, from one entry per category.

    Every product page of a category shows the same top products (`load()` reads `limit + 1` of them, so
    that one is left when the page's own product is among them). The entry holds their cards and is used
    while the category's stamp holds (an edit of any of its products changes it) and for at most
    CATALOG_RELATED_SECONDS (as long as a cached page lives), so its availability is as fresh as a page's.
    """
    key = f"catalog:related:{source.category_id}:{int(is_b2b)}"
    stamp_keys = [GLOBAL_KEY, category_key(source.category_slug)]
    found = fetch([*stamp_keys, key])
    current = stamps(stamp_keys, found)
    entry = found.get(key)
    if entry is not None and entry[0] == current and time.time() - entry[1] < settings.CATALOG_RELATED_SECONDS:
        pairs = entry[2]
    else:
        pairs = card_pairs(load(), is_b2b=is_b2b)
        cache.set(key, (current, time.time(), pairs), max(settings.CATALOG_RELATED_SECONDS, 1))
    return [pair for pair in pairs if pair[0] != source.product_id][:limit]
