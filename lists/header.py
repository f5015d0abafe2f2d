"""The header's «Избранное» and «Сравнение» links with their counters: a personal slot (shop.personal).

The links carry the visitor's product ids, which the lists' script (static/lists/lists.js) reads to mark
the toggles of the shared, cached product cards, so no card ever holds anything of a visitor.
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from lists.owners import GUEST_LISTS_SESSION_KEY, request_owner
from lists.selectors import EMPTY_STATE, ListsState, lists_state

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


def lists_html(state: ListsState | None) -> str:
    """Both header links for this state; for an unknown one (None) without counters, which the script asks for."""
    known = state or EMPTY_STATE
    html = _link(
        kind="favorites", url=reverse("lists:favorites"), icon=HEART, label="Избранное", ids=known.favorites
    ) + _link(kind="compare", url=reverse("lists:compare"), icon=SCALES, label="Сравнение", ids=known.compare)
    if state is None:
        html = html.replace(" data-lists-ids=", f' data-lists-state="{reverse("lists:state")}" data-lists-ids=', 1)
    return mark_safe(html)  # noqa: S308 - built by format_html above


def header_html(*, request, found: dict | None = None) -> str:
    """The visitor's header links: `found` holds the owner's keys when the page cache fetched them."""
    owner = request_owner(request) if request is not None and hasattr(request, "session") else None
    none_written = None
    if owner is not None and owner.user_id is None:
        session = request.session

        def none_written():
            # Read only on a cache miss: a guest's session remembers its key once it wrote a list.
            return session.get(GUEST_LISTS_SESSION_KEY) != session.session_key

    return lists_html(lists_state(owner=owner, found=found, none_written=none_written, read_cold=False))
