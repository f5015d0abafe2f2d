"""After an edit, one worker rebuilds the category's store while every other one serves the previous counts."""

import threading
import time

import pytest
from django.db import connection

from catalog import facets, selectors
from catalog.models import Product
from catalog.selectors import ListingFilters, category_facets, category_tree
from catalog.services import products_changed
from catalog.versions import request_stamps, served_stale, shared_read

THREADS = 12


def _facets_of(slug: str):
    tree = category_tree()
    node = tree.by_slug[slug]
    return category_facets(
        category_slug=node.slug,
        category_ids=tree.descendant_ids(node),
        attributes=tree.filter_attributes(node),
        filters=ListingFilters(),
    )


class SlowCount:
    """The real store build, held until released, counting how often it runs."""

    def __init__(self, real):
        self.real = real
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    def __call__(self, *args):
        with self.lock:
            self.calls += 1
        self.started.set()
        assert self.release.wait(20), "the test never released the count"
        return self.real(*args)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_after_an_edit_one_worker_counts_while_the_others_serve_the_previous_counts(make_products, monkeypatch):
    products = make_products(6)
    assert _facets_of("videonablyudenie").total == 6
    Product.objects.filter(pk=products[0].pk).update(is_active=False)
    products_changed(product_ids=[products[0].pk])

    count = SlowCount(facets.store_build)
    monkeypatch.setattr(facets, "store_build", count)
    barrier = threading.Barrier(THREADS)
    totals: list[int | None] = [None] * THREADS

    def worker(index: int) -> None:
        try:
            barrier.wait(10)
            totals[index] = _facets_of("videonablyudenie").total
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    assert count.started.wait(20)
    # While the one count is held, every other worker answers with the counts from before the edit.
    deadline = time.monotonic() + 20
    while sum(t is not None for t in totals) < THREADS - 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    waiting = [t for t in threads if t.is_alive()]
    assert len(waiting) == 1
    assert sorted(t for t in totals if t is not None) == [6] * (THREADS - 1)
    count.release.set()
    waiting[0].join(20)
    assert count.calls == 1
    assert totals.count(5) == 1
    assert _facets_of("videonablyudenie").total == 5
    assert count.calls == 1


def _counting_read(key: str, *, fresh_seconds: int):
    """A shared read whose value is how many times it was built, and the list of its builds."""
    builds = []

    def read():
        return shared_read(
            key,
            stamp_keys=[f"{key}-stamp"],
            build=lambda: builds.append(1) or len(builds),
            fresh_seconds=fresh_seconds,
            keep_seconds=60,
        )

    return read, builds


@pytest.mark.redis
def test_an_aged_shared_read_is_rebuilt_by_whoever_takes_the_lock_and_served_stale_by_the_rest():
    read, builds = _counting_read("test:shared", fresh_seconds=0)  # aged at once

    with request_stamps():
        assert read() == 1  # built here: nothing older to serve
        assert not served_stale()
    # A rebuild is due, but another worker holds the lock.
    assert selectors.cache.add("test:shared:rebuild", 1, timeout=30)
    with request_stamps():
        assert read() == 1
        assert served_stale()  # and the page made from it is not stored (shop.pagecache)
    assert builds == [1]
    selectors.cache.delete("test:shared:rebuild")
    with request_stamps():
        assert read() == 2  # this request took the lock and rebuilt it before serving it
        assert not served_stale()
    assert selectors.cache.get("test:shared:rebuild") is None


@pytest.mark.redis
def test_a_worker_that_takes_the_lock_just_after_another_stored_the_rebuild_serves_it(monkeypatch):
    from catalog import versions
    from catalog.versions import bump, cache

    read, builds = _counting_read("test:raced", fresh_seconds=60)
    with request_stamps():
        assert read() == 1
    versions._local_entries.clear()  # another process, which never read it
    bump(["test:raced-stamp"])  # an edit: the entry is due for a rebuild
    stamp = cache.get("test:raced-stamp")
    real_add = cache.add

    def add(key, *args, **kwargs):
        if key == "test:raced:rebuild":
            # Between this worker's read of the old entry and its lock, another one stored the rebuilt entry
            # and let go of the lock.
            cache.set("test:raced", ((stamp,), time.time(), 99), 60)
        return real_add(key, *args, **kwargs)

    monkeypatch.setattr(cache, "add", add)
    with request_stamps():
        assert read() == 99
        assert not served_stale()
    assert builds == [1]
    assert cache.get("test:raced:rebuild") is None


def test_a_process_serves_the_entry_it_read_without_asking_the_cache_while_it_holds(monkeypatch):
    from catalog.versions import bump, cache

    read, builds = _counting_read("test:local", fresh_seconds=60)
    assert read() == 1
    asked = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, *a, **k: (asked.extend(keys), real(keys, *a, **k))[1])
    assert read() == 1
    assert "test:local" not in asked
    bump(["test:local-stamp"])  # an edit: the local copy no longer holds
    assert read() == 2
    assert builds == [1, 1]
