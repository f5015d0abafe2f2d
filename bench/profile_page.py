#!/usr/bin/env python
"""Profile shop pages in-process: time per request split into SQL and the rest, every query with its
time, EXPLAIN ANALYZE of the slowest ones and, with --cprofile, the hottest Python functions.

    DATABASE_URL=postgres://... .venv/bin/python bench/profile_page.py /catalog/videonablyudenie/ /search/?q=камера

Uses the production settings (bench.settings) against the database DATABASE_URL names; seed it first
(bench/catalog_bench.py does). Only reads.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="URL paths, e.g. /catalog/videonablyudenie/")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per path (20)")
    parser.add_argument("--explain", type=int, default=3, help="EXPLAIN ANALYZE the N slowest queries (3)")
    parser.add_argument("--cprofile", type=int, default=0, help="print the N hottest functions (0: off)")
    parser.add_argument("--cold", action="store_true", help="clear the cache before every request")
    return parser.parse_args(argv)


def setup() -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "profile-" + secrets.token_urlsafe(32),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "EMAIL_URL": "smtp://127.0.0.1:25",
            "SMS_BACKEND": "bench.sms.DiscardSmsBackend",
            "PAYMENT_SANDBOX_ALLOWED": "true",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class QueryRecorder:
    """An execute wrapper that times every query with perf_counter (Django's own log rounds to 1 ms)."""

    def __init__(self):
        self.queries: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append({"sql": sql, "params": params, "time": time.perf_counter() - began})


def profile_path(client, path: str, args: argparse.Namespace) -> None:
    from django.core.cache import caches
    from django.db import connection

    response = client.get(path)  # warm: caches, template loader, connection
    print(f"\n=== {path}  HTTP {response.status_code}, {len(response.content)} bytes")
    if response.status_code != 200:
        return
    totals, sql_totals, counts = [], [], []
    captured = None
    for _ in range(args.repeat):
        if args.cold:
            caches["catalog"].clear()
        recorder = QueryRecorder()
        with connection.execute_wrapper(recorder):
            began = time.perf_counter()
            client.get(path)
            totals.append(time.perf_counter() - began)
        sql_totals.append(sum(q["time"] for q in recorder.queries))
        counts.append(len(recorder.queries))
        captured = recorder.queries
    total, sql = statistics.median(totals) * 1000, statistics.median(sql_totals) * 1000
    print(
        f"median per request: {total:.1f} ms, of which SQL {sql:.1f} ms in {statistics.median(counts):.0f} queries"
        f", the rest (Python: view, template, middleware) {total - sql:.1f} ms"
    )
    for number, query in enumerate(captured, 1):
        print(f"  {number:>2}. {query['time'] * 1000:7.2f} ms  {query['sql'][:160]}")
    slowest = sorted(captured, key=lambda q: -q["time"])[: args.explain]
    for query in slowest:
        if not query["sql"].lstrip().upper().startswith("SELECT") or connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"], query["params"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n--- EXPLAIN ANALYZE ({query['time'] * 1000:.2f} ms):\n{query['sql']}\n{query['params']}\n{plan}")
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(path)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.cprofile)
        print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup()
    from django.test import Client

    client = Client()
    for path in args.paths:
        profile_path(client, path, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
