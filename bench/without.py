"""The shop's WSGI application with speed mechanisms switched off, for bench/mechanisms_bench.py.

    gunicorn 'bench.without:application("cards,compiled")'

Each switch replaces one function of the shop's own modules with the plain way of doing the same work (no
cache, the ORM, the work done before answering), so the difference in a run is what the mechanism buys.
"""

from django.core.wsgi import get_wsgi_application


def _page_cache() -> None:
    from django.conf import settings

    settings.PAGE_CACHE_VIEWS = {}  # every page rendered in full, for every visitor


def _cards() -> None:
    from catalog import cards

    cards._key = lambda product, is_b2b: None  # no card has a cache key: every card rendered per request


def _compiled() -> None:
    from cart import selectors as cart_selectors
    from catalog import availability
    from catalog.selectors import product_page, products
    from loyalty import selectors as loyalty_selectors
    from orders import selectors as order_selectors
    from shop import sessions

    class OrmRead:
        """What `core.sql.prepare` gives, as the ORM's own queryset built and compiled per request."""

        def __init__(self, build, using):
            self.build, self.using = build, using

        def rows(self, using, **values):
            return list(self.build(**values).using(using))

    def prepare(build, *, using, with_now=False, **standins):
        return OrmRead(build, using)

    def rows_together(using, calls):
        return [read.rows(using, **values) for read, values in calls]

    for module in (products, product_page, cart_selectors, sessions, availability, order_selectors, loyalty_selectors):
        module.prepare = prepare
    product_page.rows_together = rows_together


def _header_cart() -> None:
    from cart.selectors import cart_summary
    from shop import personal

    # The header's count and sum counted per page, not kept per owner and cart generation.
    personal.cached_cart_summary = lambda request, *, version, found: cart_summary(request=request)


def _frames() -> None:
    from shop import personal

    # A new "category tree" per request: the header and footer are rendered each time, not cut once.
    personal.request_category_tree = lambda request: object()


MECHANISMS = {
    "page-cache": (_page_cache, "whole-page cache with personal slots (shop/pagecache.py, shop/personal.py)"),
    "cards": (_cards, "product cards cached per product version (catalog/cards.py)"),
    "compiled": (_compiled, "querysets compiled once per process (core/sql.py)"),
    "header-cart": (_header_cart, "the header's cart sum kept per owner (shop/personal.py)"),
    "frames": (_frames, "header and footer rendered once per process (shop/personal.py, `frame`)"),
}


def application(without: str = ""):
    """The shop's WSGI application with the named mechanisms (comma-separated) switched off."""
    names = [name for name in without.split(",") if name]
    if unknown := sorted(set(names) - set(MECHANISMS)):
        raise ValueError(f"unknown mechanisms {', '.join(unknown)}; known: {', '.join(MECHANISMS)}")
    wsgi = get_wsgi_application()
    for name in names:
        MECHANISMS[name][0]()
    return wsgi
