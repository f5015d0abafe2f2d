"""Product cards, rendered once per product version and reused from the cache by every listing.

A card's key holds what its HTML shows: the product's `updated_at` (every edit through `save()` moves it),
its availability (read by each listing from the database, so an order's stock change shows at once) and
whether VAT is shown (company buyers); the entry holds the global stamp (brands, categories). A card has
nothing of a visitor or a page in it: the grid puts the request's CSRF token and the page's own address
(where «Добавить в корзину» comes back to, at the card) in place of two marks, once for the whole grid.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape

from catalog.models import ProductImage
from catalog.versions import GLOBAL_KEY, cache, stamps
from core.money import format_rub
from core.text import soft_hyphens
from core.vat import vat_note

CSRF_MARK = "__card_csrf_token__"
NEXT_MARK = "__card_next_url__"
# Keys change with every edit, so an entry is never stale; this only bounds what an unused card occupies.
CARD_SECONDS = 24 * 60 * 60
TEMPLATE = "catalog/partials/_product_card.html"


def _key(product, is_b2b: bool) -> str | None:
    if "updated_at" not in product.__dict__:
        return None  # a product read without its edit time cannot be told apart from an older version
    availability = product.availability
    edited = int(product.updated_at.timestamp() * 1_000_000)
    return f"catalog:card:{product.pk}:{edited}:{availability.code}:{availability.lead_days}:{int(is_b2b)}"


def card_context(product, *, is_b2b: bool, add_url: str) -> dict:
    """Everything a card shows, already formatted: the template only places it."""
    images = product.images.all()
    image = images[0] if images else None
    return {
        "pk": product.pk,
        "url": product.get_absolute_url(),
        "thumbnail": image.thumbnail.url if image else "",
        "alt": (image.alt if image else "") or product.name,
        "discount": product.discount_percent,
        "brand": product.brand.name if product.brand_id else "",
        "name": product.name,
        "title": soft_hyphens(product.name),
        "availability": product.availability,
        "price": format_rub(product.price),
        "old_price": format_rub(product.old_price) if product.old_price else "",
        "vat": vat_note(product.vat_rate) if is_b2b else "",
        "add_url": add_url,
        "csrf_mark": CSRF_MARK,
        "next_mark": NEXT_MARK,
    }


def render_cards(products, *, is_b2b: bool, csrf_token: str, next_url: str) -> str:
    """The grid's columns: every card from the cache when it holds, the missing ones rendered and stored."""
    products = list(products)
    keys = [_key(product, is_b2b) for product in products]
    found = cache.get_many([GLOBAL_KEY, *filter(None, keys)])
    stamp = stamps([GLOBAL_KEY], found)[0]
    missing = {}
    columns = []
    held = {key: entry[1] for key, entry in found.items() if key != GLOBAL_KEY and entry[0] == stamp}
    to_render = [product for product, key in zip(products, keys, strict=True) if key not in held]
    if to_render:
        # The pictures only for the cards rendered now: one query, none when every card is in the cache.
        prefetch_related_objects(
            to_render, Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk"))
        )
        template, add_url = get_template(TEMPLATE), reverse("cart:add")
    for product, key in zip(products, keys, strict=True):
        html = held.get(key)
        if html is None:
            html = template.render({"card": card_context(product, is_b2b=is_b2b, add_url=add_url)})
            if key:
                missing[key] = (stamp, html)
        columns.append(f'<div class="col">{html}</div>')
    if missing:
        cache.set_many(missing, CARD_SECONDS)
    return "".join(columns).replace(CSRF_MARK, csrf_token).replace(NEXT_MARK, escape(next_url))
