"""The header's «Избранное» and «Сравнение» links with their counters: a personal slot (shop.personal).

The links carry the visitor's product ids, which the lists' script (static/lists/lists.js) reads to mark
the toggles of the shared, cached product cards, so no card ever holds anything of a visitor.
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from lists.owners import request_owner
from lists.selectors import ListsState, lists_state

HEART = (
    '<svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" '
    'aria-hidden="true"><path d="M12 20.5s-7.5-4.6-9.3-9.2C1.6 8.2 3.5 4.5 7 4.5c2 0 3.6 1.1 5 3 1.4-1.9 3-3 5-3 '
    '3.5 0 5.4 3.7 4.3 6.8-1.8 4.6-9.3 9.2-9.3 9.2z"/></svg>'
)
SCALES = (
    '<svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" '
    'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M12 3v18M7 21h10M4 7h16M4 7l-3 7'
    'a3 3 0 0 0 6 0zM20 7l-3 7a3 3 0 0 0 6 0z"/></svg>'
)


def _link(*, kind: str, url: str, icon: str, label: str, ids: tuple[int, ...]) -> str:
    count = len(ids)
    badge = (
        format_html(
            '<span class="header-cart__badge badge rounded-pill text-bg-primary" data-lists-count>{}</span>', count
        )
        if count
        else mark_safe(
            '<span class="header-cart__badge badge rounded-pill text-bg-primary d-none" data-lists-count>0</span>'
        )
    )
    return format_html(
        '<a class="header-list nav-link px-0 px-lg-2" href="{}" data-testid="header-{}" data-lists-kind="{}" '
        'data-lists-ids="{}"><span class="position-relative d-inline-block">{}{}</span>'
        '<span class="visually-hidden">{}</span></a>',
        url,
        kind,
        kind,
        " ".join(str(pk) for pk in ids),
        mark_safe(icon),  # noqa: S308 - an icon constant of this module
        badge,
        label,
    )


def lists_html(state: ListsState) -> str:
    """Both header links for this state."""
    return _link(
        kind="favorites", url=reverse("lists:favorites"), icon=HEART, label="Избранное", ids=state.favorites
    ) + _link(kind="compare", url=reverse("lists:compare"), icon=SCALES, label="Сравнение", ids=state.compare)


def header_html(*, request, found: dict | None = None) -> str:
    """The visitor's header links: `found` holds the owner's keys when the page cache fetched them."""
    owner = request_owner(request) if request is not None and hasattr(request, "session") else None
    return lists_html(lists_state(owner=owner, found=found))
