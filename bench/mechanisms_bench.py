#!/usr/bin/env python
"""What each speed mechanism buys: the catalogue aims measured with every mechanism on and with each one
switched off (bench/without.py), in one run on one database, the variants taking turns in every round.

    make bench-mechanisms MECHANISMS_ARGS="--products 10000 --rounds 3"
    .ci/with-services .venv/bin/python bench/mechanisms_bench.py --products 2000 --seconds 2 --rounds 1  # smoke

Prints, per aim, the figure with everything on, without each mechanism, and what the mechanism buys as a share
of the aim (issue 23: a mechanism that buys less than 10% of every aim goes). See bench/README.md.
"""

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report, urllists  # noqa: E402
from bench.catalog_bench import (  # noqa: E402
    SPREAD_PAGES,
    add_page_arguments,
    check_page,
    configure_environment,
    grow,
    load_rounds,
    make_walk,
    manage,
    pick_targets,
    product_count,
    require_postgres,
    single,
    single_trivial,
)
from bench.loadgen import choose_client  # noqa: E402
from bench.server import gunicorn, log, run_bench  # noqa: E402

# The aims of issues 12 and 23 a mechanism can move: (name, what is measured, aim, higher is better).
AIMS = [
    ("category, signed in", ("category", "signed-in"), 0.25, True),
    ("product, signed in", ("product", "signed-in"), 0.25, True),
    ("search, signed in", ("search", "signed-in"), 0.25, True),
    ("cart, signed in", ("cart", "signed-in"), 0.15, True),
    ("category miss", ("category", "c1"), 5.0, False),
    ("product miss", ("product", "c1"), 5.0, False),
    ("search miss", ("search", "c1"), 10.0, False),
]
SIGNED_IN_PAGES = ["category", "product", "search", "cart"]


def parse_args(argv=None) -> argparse.Namespace:
    from bench.without import MECHANISMS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000, help="products the catalog must hold (10000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; every variant once per round (3)")
    parser.add_argument("--seconds", type=float, default=6.0, help="each signed-in measurement (6)")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up before each measurement (1)")
    parser.add_argument("--single-seconds", type=float, default=3.0, help="each one-connection miss (3)")
    add_page_arguments(parser)
    names = ",".join(MECHANISMS)
    parser.add_argument("--mechanisms", default=names, help=f"which to switch off, one at a time ({names})")
    args = parser.parse_args(argv)
    args.mechanisms = [name for name in args.mechanisms.split(",") if name]
    if unknown := sorted(set(args.mechanisms) - set(MECHANISMS)):
        parser.error(f"unknown mechanisms: {', '.join(unknown)}")
    if min(args.products, args.rounds, args.seconds, args.single_seconds, args.concurrency, args.workers) <= 0:
        parser.error("--products, --rounds, --seconds, --single-seconds, --concurrency, --workers: > 0")
    return args


def measure_variant(args, client, targets, walks, log_path, without: str) -> dict:
    """One round of one variant: the signed-in pages against the trivial view, then the misses."""
    one_round = argparse.Namespace(**{**vars(args), "rounds": 1})
    figures = {}
    with gunicorn(workers=args.workers, log_path=log_path, app=f"bench.without:application({without!r})") as port:
        for target in targets:
            if problem := check_page(port, target, walks):
                raise RuntimeError(f"without {without or 'nothing'}: {target.page} fails: {problem}")
        for (page, variant), found in load_rounds(client, port, targets, walks, one_round).items():
            if variant == "signed-in":
                figures[(page, variant)] = (found.vs_trivial, found.errors)
        trivial = single_trivial(client, port, walks, args)
        figures[("trivial", "c1")] = (trivial.p50_ms, trivial.errors)
        for page in SPREAD_PAGES:
            found = single(client, port, page, walks, args)
            figures[(page, "c1")] = (found.p50_ms, found.errors)
    return figures


def warm_up(args, client, targets, walks, log_path) -> None:
    """Not measured: the category stores and the pages' shared parts built, so no variant pays for them."""
    log("warm-up, not measured")
    with gunicorn(workers=args.workers, log_path=log_path, app="bench.without:application()") as port:
        for target in targets:
            check_page(port, target, walks)
        for page in SPREAD_PAGES:
            single(client, port, page, walks, args)


def run(args) -> int:
    require_postgres()
    configure_environment()
    import django

    django.setup()
    from django.db import connections

    from bench.buyer import bench_buyer_cookie
    from bench.without import MECHANISMS

    client = choose_client(args.client)
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    count = product_count()
    if count < args.products:
        count = grow(args.products, args.seed_timeout)
    rng = random.Random(12)
    variants = ["", *args.mechanisms]
    samples: dict[str, list[dict]] = {variant: [] for variant in variants}
    with tempfile.TemporaryDirectory(prefix="shop-mechanisms-") as tmp:
        tmp_dir, log_path = Path(tmp), Path(tmp) / "gunicorn.log"
        walks = {
            "search": make_walk("search", urllists.search_paths(rng, args.urls), tmp_dir),
            "product": make_walk("product", urllists.product_paths(rng, args.urls), tmp_dir),
            "category": make_walk("category", urllists.category_paths(rng, args.urls), tmp_dir),
        }
        buyer = bench_buyer_cookie()
        targets = [t for t in pick_targets(args, buyer) if t.variant == "signed-in" and t.page in SIGNED_IN_PAGES]
        connections.close_all()
        warm_up(args, client, targets, walks, log_path)
        for round_number in range(1, args.rounds + 1):
            # Variants take turns within a round, each round starting one further, so the drift of a shared
            # machine and the caches growing warmer fall on all of them alike.
            shift = (round_number - 1) % len(variants)
            order = variants[shift:] + variants[:shift]
            for without in order:
                log(f"round {round_number} of {args.rounds}: without {without or 'nothing'}")
                samples[without].append(measure_variant(args, client, targets, walks, log_path, without))
    print_report(args, count, variants, samples, MECHANISMS)
    return 0


def _median(runs: list[dict], key) -> tuple[float | None, int]:
    values = [run[key][0] for run in runs if key in run and run[key][0] is not None]
    errors = sum(run[key][1] for run in runs if key in run)
    return (statistics.median(values) if values else None), errors


def _figure(value: float | None, higher: bool) -> str:
    if value is None:
        return "-"
    return f"{value:.1%}" if higher else f"{value:.2f} ms"


def print_report(args, count, variants, samples, mechanisms) -> None:
    print(f"\nWhat each mechanism buys: {count} products, {args.rounds} rounds (median), {args.workers} workers")
    header = ["aim", "target", "all on", *(f"without {name}" for name in variants[1:])]
    rows = []
    trivial, _ = _median(samples[""], ("trivial", "c1"))
    for name, key, aim, higher in AIMS:
        base, _ = _median(samples[""], key)
        row = [name, f"≥ {aim:.0%}" if higher else f"≤ {aim:g} ms", _figure(base, higher)]
        for without in variants[1:]:
            value, errors = _median(samples[without], key)
            cell = _figure(value, higher)
            if value is not None and base is not None:
                bought = (base - value) / aim if higher else (value - base) / aim
                cell += f" ({bought:+.0%})"
            if errors:
                cell += f" {errors} errors"
            row.append(cell)
        rows.append(row)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print(" | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(f"\ntrivial view from one connection, all on: {report.ms(trivial)} ms")
    print("(in brackets: what the mechanism buys, as a share of the aim; + means the aim is better with it)")
    for name in variants[1:]:
        print(f"  {name}: {mechanisms[name][1]}")


def main(argv=None) -> int:
    return run_bench(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
