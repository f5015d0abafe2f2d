#!/usr/bin/env python
"""YML feed benchmark: seed N products into PostgreSQL, build /feeds/yml.xml as the background task does,
time it, count its queries and its peak memory, and check the file with the validator.

    .ci/with-services .venv/bin/python bench/feed_bench.py --products 100000
    DATABASE_URL=postgres://shop@127.0.0.1:5432/shop .venv/bin/python bench/feed_bench.py --products 100000

See bench/README.md («YML feed»).
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AIM_SECONDS = 60.0


def seed(products: int) -> None:
    """Seed the demo catalogue and the generated products in a process of its own (its memory is not ours)."""
    # No feed is built while seeding: the task is published to a broker nobody reads.
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"}
    command = [sys.executable, str(ROOT / "manage.py"), "seed_demo", "--products", str(products), "--verbosity", "0"]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=3600)
    print(f"seeded in {time.monotonic() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="generated products beside the demo (100000)")
    parser.add_argument("--rounds", type=int, default=3, help="builds to time; the median is reported (3)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        print("feed bench needs PostgreSQL: set DATABASE_URL (.ci/with-services starts a throwaway one)")
        return 2
    call_command("migrate", verbosity=0)
    from catalog.models import Product

    if Product.objects.filter(sku__startswith="LT-").count() < args.products:
        seed(args.products)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    from feeds.selectors import feed_local_path
    from feeds.services import feed_build
    from feeds.validation import validate_yml

    on_sale = Product.objects.filter(is_active=True, is_service=False).count()
    print(f"products: {Product.objects.count()}, on sale (goods): {on_sale}")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds, queries, build = [], 0, None
    for _ in range(args.rounds):
        with CaptureQueriesContext(connection) as captured:
            build = feed_build()
        seconds.append(build.seconds)
        queries = len(captured)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    report = validate_yml(feed_local_path())
    validated = time.monotonic() - started
    median = statistics.median(seconds)
    print(f"build: {build.offers} offers, {build.size / 1_000_000:.1f} MB, {queries} queries")
    print(f"build seconds: median {median:.1f} of {', '.join(f'{s:.1f}' for s in seconds)}")
    print(f"peak memory: {rss_after / 1024:.0f} MB (grew {(rss_after - rss_before) / 1024:.0f} MB while building)")
    print(
        f"validator: {report.offers} offers, {report.categories} categories, {len(report.errors)} errors "
        f"in {validated:.1f} s"
    )
    for error in report.errors[:10]:
        print(f"  {error}")
    verdict = "MET" if median < AIM_SECONDS and report.valid else "NOT MET"
    print(f"aim: {on_sale} products in under {AIM_SECONDS:.0f} s and a valid file: {verdict}")
    return 0 if report.valid else 1


if __name__ == "__main__":
    sys.exit(main())
