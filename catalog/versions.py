"""Version stamps of cached catalogue reads (global, category, product page, card, home and search).

A stamp is a clock reading, so an evicted stamp comes back new, never old; only `catalog.services` moves
them, through the choke point `catalog.changes`.
"""

import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

from core.caches import add_many

cache = ConnectionProxy(caches, "catalog")

GLOBAL_KEY = "catalog:version"
PRODUCTS_KEY = "catalog:v:products"
# What a price shown anywhere depends on: a cart's sum in the header of any page.
PRICE_KEYS = [GLOBAL_KEY, PRODUCTS_KEY]


def category_key(slug: str) -> str:
    return f"catalog:v:category:{slug}"


def product_key(slug: str) -> str:
    return f"catalog:v:product:{slug}"


def card_key(pk: int) -> str:
    return f"catalog:v:card:{pk}"


def _fresh() -> int:
    return time.time_ns()


# The stamps a request has read so far (the page cache's lookup reads those of the page), so that the reads
# of the same request take them from here instead of asking Redis again: one view of the catalogue a request.
_request_stamps: ContextVar[dict | None] = ContextVar("catalog_request_stamps", default=None)
# Whether the request was served a shared read older than its freshness or its stamps (`shared_read`).
_stale: ContextVar[list | None] = ContextVar("catalog_stale_served", default=None)


@contextmanager
def request_stamps():
    """Within the block, stamps that `remember` was given stand for the rest of the request, and
    `served_stale` tells whether a shared read it was served is due for a rebuild."""
    token, stale_token = _request_stamps.set({}), _stale.set([])
    try:
        yield
    finally:
        _request_stamps.reset(token)
        _stale.reset(stale_token)


def served_stale() -> bool:
    """Whether this request was served a shared read due for a rebuild: a page made from it is not stored."""
    return bool(_stale.get())


def _serving_stale() -> None:
    stale = _stale.get()
    if stale is not None:
        stale.append(True)


def remember(found: dict, keys) -> None:
    """Keep the stamps among `found` (read by the caller) for the rest of the request."""
    known = _request_stamps.get()
    if known is not None:
        known.update({key: found[key] for key in keys if found.get(key) is not None})


def fetch(keys: list[str]) -> dict:
    """`cache.get_many`, taking the stamps the request has already read from the request."""
    known = _request_stamps.get()
    if not known:
        return cache.get_many(keys)
    found = {key: known[key] for key in keys if key in known}
    rest = [key for key in keys if key not in found]
    if rest:
        found.update(cache.get_many(rest))
    return found


def stamps(keys: list[str], found: dict | None = None) -> tuple[int, ...]:
    """The current stamps of the keys, in order; a missing one is started (and kept if another process wins)."""
    found = dict(found) if found is not None else fetch(keys)
    missing = {key: _fresh() for key in keys if found.get(key) is None}
    if missing:
        # One round trip for all of them (a listing may start 24 card stamps at once).
        held = add_many(cache, missing, timeout=None)
        found.update(missing)
        found.update({key: value for key, value in held.items() if value is not None})
    return tuple(found[key] for key in keys)


def proposed_stamps(keys: list[str], found: dict) -> tuple[dict, dict]:
    """The stamps of the keys among `found`, a missing one proposed and not yet stored: (stamps, proposals).

    Whoever builds an entry under a proposal starts it with `add_many` when storing the entry. Should another
    process have started that stamp first, the entry carries a stamp that never was and is simply never
    served: one card rendered twice, never a stale one.
    """
    proposals = {key: _fresh() for key in keys if found.get(key) is None}
    # The rest of the request reads the same proposals (a product on two grids of one page), as if stored.
    remember(proposals, proposals)
    return {key: proposals.get(key, found.get(key)) for key in keys}, proposals


def global_stamp() -> int:
    return stamps([GLOBAL_KEY])[0]


def bump(keys: Iterable[str]) -> None:
    """Retire everything stored under the current stamps of these keys."""
    value = _fresh()
    keys = list(dict.fromkeys(keys))
    if keys:
        cache.set_many(dict.fromkeys(keys, value), timeout=None)


def page_keys(view_name: str, kwargs: dict) -> list[str]:
    """The stamps a cached page depends on, known from its URL alone."""
    if view_name == "catalog:index":
        return [GLOBAL_KEY]
    if view_name == "catalog:category":
        return [GLOBAL_KEY, category_key(kwargs["slug"])]
    if view_name == "catalog:product":
        return [GLOBAL_KEY, product_key(kwargs["slug"])]
    return [GLOBAL_KEY, PRODUCTS_KEY]


# A rebuild of a shared read takes at most this long; a lock older than that is taken over.
REBUILD_LOCK_SECONDS = 30


def shared_read(key: str, *, stamp_keys: list[str], build, fresh_seconds: int, keep_seconds: int):
    """A read shared by every worker, rebuilt by exactly one of them when it is stale.

    The entry keeps the stamps it was built under and when. While it holds and is younger than
    `fresh_seconds` it is served as is. Once an edit has changed a stamp or it has aged, the first worker to
    take a short lock (`cache.add`) rebuilds it, and every other one keeps serving the previous value until
    the new one is stored: after an edit, one worker counts, not all of them at once (the one that takes
    the lock reads the entry again, in case another stored its rebuild just before). Only a read that was
    never built (or was evicted) is built by whoever asks. A request served the previous value is
    `served_stale`, so that the page cache does not keep a page made from it. The rebuild stays in the
    request that takes the lock (run after its answer, it slowed the next requests: bench/README.md). A
    process keeps the entry it read last and uses it without asking the cache while it would pass the same
    test.
    """
    local = _local_entries.get(key)
    if local is not None and _holds(local, stamps(stamp_keys, fetch(stamp_keys)), fresh_seconds):
        return local[2]  # the entry this process read last: no round trip while it would pass anyway
    found = fetch([*stamp_keys, key])
    current = stamps(stamp_keys, found)
    entry = found.get(key)
    lock = f"{key}:rebuild"
    if entry is not None:
        if _holds(entry, current, fresh_seconds):
            _keep(key, entry)
            return entry[2]
        if not cache.add(lock, 1, timeout=REBUILD_LOCK_SECONDS):
            _serving_stale()
            return entry[2]
        # Another worker may have stored its rebuild and let go of the lock between this one's read and lock.
        latest = cache.get(key)
        if latest is not None and _holds(latest, current, fresh_seconds):
            cache.delete(lock)
            _keep(key, latest)
            return latest[2]
    return _rebuild(key, current, build, keep_seconds, lock if entry is not None else None)


def _rebuild(key: str, current: tuple, build, keep_seconds: int, lock: str | None):
    """Build the read under the current stamps, share it and keep it here; release the rebuild lock."""
    try:
        value = build()
        entry = (current, time.time(), value)
        cache.set(key, entry, timeout=keep_seconds)
        _keep(key, entry)
    finally:
        if lock is not None:
            cache.delete(lock)
    return value


# The shared entries this process read last, with the stamps they were built under and when: used while
# the request's stamps match and they are younger than `fresh_seconds`, as the shared copy would be.
LOCAL_ENTRIES = 512
_local_entries: dict[str, tuple] = {}
_local_lock = threading.Lock()


def _holds(entry: tuple, current: tuple, fresh_seconds: int) -> bool:
    built_under, built_at, _value = entry
    return built_under == current and time.time() - built_at < fresh_seconds


def _keep(key: str, entry: tuple) -> None:
    with _local_lock:
        if key not in _local_entries and len(_local_entries) >= LOCAL_ENTRIES:
            del _local_entries[next(iter(_local_entries))]
        _local_entries[key] = entry
