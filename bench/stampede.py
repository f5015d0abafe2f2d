"""A catalogue edit under load: how often the filter counts are computed after it, and what it does to p99.

The pages are served by `bench.buildcount:application`, which counts, in the shared cache, the builds of
category stores (catalog.facets: the columns a category's filter counts and listing come from).

1. Edit, then visit the hot category page once without and once with the buyer's cookie: the builds that
   one computation of its counts takes (`single`); then visit an unrelated category page.
2. Load the hot page from `concurrency` connections (half of them signed in), edit a product of it after
   `before` seconds and go on for `after` seconds: the builds counted after the edit (`after_edit`).
3. Visit the unrelated category page again: the builds its counts took (`unrelated`, 0 when the edit
   left them alone).

Without a stampede the counts are computed once after the edit, by one worker, so `after_edit` equals
`single`; with one, every worker that asks before the first has stored its result computes them too.
"""

import http.client
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.loadgen import HOST, percentile

COUNTER_KEY = "bench:category-store-builds"


def counter_available() -> bool:
    """The workers' counter is readable here only when the "catalog" cache is shared (Redis)."""
    from django.core.cache import caches

    return "redis" in type(caches["catalog"]).__name__.lower()


def read_counter() -> int:
    from django.core.cache import caches

    return int(caches["catalog"].get(COUNTER_KEY) or 0)


def count_builds(build):
    """`build` adding one to the shared counter on every call (bench/buildcount.py wraps the store build)."""
    from django.core.cache import caches

    def counted(*args, **kwargs):
        cache = caches["catalog"]
        try:
            cache.incr(COUNTER_KEY)
        except ValueError:  # no counter yet
            cache.add(COUNTER_KEY, 0, timeout=None)
            cache.incr(COUNTER_KEY)
        return build(*args, **kwargs)

    counted.counts_builds = True
    return counted


@dataclass
class StampedeResult:
    path: str
    unrelated_path: str
    single: int  # category store builds of one visit (no cookie, then signed in) to the page after an edit
    after_edit: int  # the same statements in the `after` seconds following an edit under load
    unrelated: int  # the same statements of one visit to an unrelated category page after the edit
    seconds_after: float
    requests: int
    errors: int
    p50_before_ms: float
    p99_before_ms: float
    p99_after_ms: float  # requests sent in the first second after the edit
    max_after_ms: float


def _get(connection: http.client.HTTPConnection, path: str, cookie: str) -> int:
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    return response.status


def measure_stampede(
    *,
    port: int,
    path: str,
    unrelated_path: str,
    cookie: str,
    edit: Callable[[], None],
    concurrency: int = 8,
    before: float = 3.0,
    after: float = 3.0,
) -> StampedeResult:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    edit()
    start = read_counter()
    _get(connection, path, "")
    _get(connection, path, cookie)
    single = read_counter() - start
    _get(connection, unrelated_path, cookie)

    samples: list[tuple[float, float]] = []  # (sent at, seconds)
    errors = [0]
    lock = threading.Lock()
    stop = threading.Event()

    def visitor(number: int) -> None:
        local, failed = [], 0
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        visitor_cookie = cookie if number % 2 else ""
        while not stop.is_set():
            began = time.monotonic()
            try:
                if _get(conn, path, visitor_cookie) != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                continue
            local.append((began, time.monotonic() - began))
        conn.close()
        with lock:
            samples.extend(local)
            errors[0] += failed

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(before)
    counted_from = read_counter()
    edited_at = time.monotonic()
    edit()
    time.sleep(after)
    after_edit = read_counter() - counted_from
    stop.set()
    for thread in threads:
        thread.join()
    counted_from = read_counter()
    _get(connection, unrelated_path, cookie)
    unrelated = read_counter() - counted_from
    connection.close()

    before_edit = sorted(s for at, s in samples if edited_at - before + 1 <= at < edited_at)  # past the ramp-up
    first_second = sorted(s for at, s in samples if edited_at <= at < edited_at + 1)
    return StampedeResult(
        path=path,
        unrelated_path=unrelated_path,
        single=single,
        after_edit=after_edit,
        unrelated=unrelated,
        seconds_after=after,
        requests=len(samples),
        errors=errors[0],
        p50_before_ms=statistics.median(before_edit) * 1000 if before_edit else float("nan"),
        p99_before_ms=percentile(before_edit, 99) * 1000,
        p99_after_ms=percentile(first_second, 99) * 1000,
        max_after_ms=max(first_second, default=float("nan")) * 1000,
    )


def catalog_edit(product_id: int) -> None:
    """Change a product's price as the admin's change form does (ModelAdmin.save_model in a transaction)."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import RequestFactory

    from catalog.models import Product

    request = RequestFactory().post("/admin/catalog/product/")
    request.user = get_user_model().objects.filter(is_superuser=True).first()
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product_id)
        product.price += 10 if product.pk % 2 or product.price < 1000 else -10
        admin.site._registry[Product].save_model(request, product, None, True)


def stampede_pages() -> tuple[str, str, int]:
    """The biggest category page, the page of a category of another branch, a product of the first."""
    from bench.urllists import roots_by_size
    from catalog.models import Product
    from catalog.selectors import category_tree

    hot, other = roots_by_size()[:2]
    in_hot = Product.objects.filter(is_active=True, category_id__in=category_tree().descendant_ids(hot))
    return hot.url, other.url, in_hot.order_by("pk").values_list("pk", flat=True).first()
