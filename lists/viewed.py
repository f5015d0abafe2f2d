"""«Вы смотрели»: the last products a visitor opened, per session and per account, kept in the catalog cache.

The product page is shared by every visitor (shop.pagecache), so it holds only an empty section; the lists'
script asks `/viewed/` for it, which records the product and answers the cards of the others. The page itself
pays nothing; the answer costs one cache round trip for the ids, one query for the products and the cards'
own round trip. An evicted list starts again: it is a convenience, not a record.
"""

from catalog.selectors import cache as catalog_cache
from lists.owners import Owner

VIEWED_LIMIT = 12
VIEWED_SECONDS = 30 * 24 * 60 * 60


def _key(owner: Owner) -> str:
    return f"lists-viewed:{owner.cache_name}"


def viewed_ids(*, owner: Owner | None) -> list[int]:
    """The visitor's viewed products, the latest first."""
    if owner is None:
        return []
    return list(catalog_cache.get(_key(owner)) or [])


def viewed_record(*, owner: Owner, product_id: int) -> list[int]:
    """Put a product first in the visitor's viewed list (at most VIEWED_LIMIT); returns the list before it."""
    before = viewed_ids(owner=owner)
    ids = [product_id, *(pk for pk in before if pk != product_id)][:VIEWED_LIMIT]
    if ids != before:
        catalog_cache.set(_key(owner), ids, VIEWED_SECONDS)
    return before


def viewed_merge_guest(*, session_key: str | None, user) -> None:
    """At login, put the guest's viewed products before the account's."""
    if not session_key:
        return
    guest, account = Owner(session_key=session_key), Owner(user_id=user.pk)
    mine = viewed_ids(owner=guest)
    if not mine:
        return
    ids = list(dict.fromkeys([*mine, *viewed_ids(owner=account)]))[:VIEWED_LIMIT]
    catalog_cache.set(_key(account), ids, VIEWED_SECONDS)
    catalog_cache.delete(_key(guest))
