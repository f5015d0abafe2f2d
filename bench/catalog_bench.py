#!/usr/bin/env python
"""Catalog benchmark: seed N products into PostgreSQL, serve the shop with gunicorn on 127.0.0.1 and
measure home, category, product, search and cart pages for three kinds of visitor (no cookie on one URL,
no cookie spread over many URLs, signed in with a cart) beside a trivial Django view measured in the same
run, the server time of a page-cache miss, search at two catalogue sizes and a catalogue edit under load;
then judge the aims of issues 2 and 12.

    .venv/bin/python bench/catalog_bench.py --products 100000     # DATABASE_URL must be PostgreSQL
    make bench BENCH_ARGS="--products 100000"                       # throwaway PostgreSQL and Redis

See bench/README.md.
"""

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import page_weight, report, stampede, urllists  # noqa: E402
from bench.loadgen import HOST, PathList, choose_client, run_python, run_wrk, walked_indices  # noqa: E402
from bench.report import Measurement  # noqa: E402
from bench.server import TRIVIAL_PATH, drain, fetch, gunicorn, log, run_bench, tail  # noqa: E402

PAGES = ["home", "category", "product", "search", "cart", "checkout"]
SPREAD_PAGES = ["category", "product", "search"]


@dataclass
class Target:
    page: str
    variant: str  # hot, spread, signed-in
    path: str
    note: str = ""
    cookie: str = ""
    walk: str = ""  # name of the URL list a spread target walks


@dataclass
class Walk:
    """A URL list and how far the run has walked it; which of its URLs were asked for already."""

    file: Path
    length: int
    offset: int = 0
    seen: set = field(default_factory=set)

    def path_list(self) -> PathList:
        return PathList(self.file, self.length, self.offset)

    def advance(self, sent: list[int]) -> float | None:
        """Mark what a run sent; return the share of it not asked for before."""
        indices = walked_indices(self.offset, sent, self.length)
        new = 0
        for index in indices:
            if index not in self.seen:
                self.seen.add(index)
                new += 1
        self.offset += len(sent) * max(sent, default=0)
        return new / len(indices) if indices else None


# --- Set-up -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="products the catalog must hold (100000)")
    parser.add_argument(
        "--small",
        type=int,
        default=10_000,
        help="measure search at this size first, then grow the catalogue to --products (10000; 0: skip)",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each measurement (10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up before each measurement (2)")
    parser.add_argument("--single-seconds", type=float, default=5.0, help="each one-connection measurement (5)")
    parser.add_argument("--rounds", type=int, default=1, help="measure every page this many times, keep the median")
    add_page_arguments(parser)
    parser.add_argument("--no-stampede", action="store_true", help="skip the catalogue edit under load")
    parser.add_argument("--no-weight", action="store_true", help="skip weighing pages in Chromium")
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/*.json")
    parser.add_argument("--strict", action="store_true", help="exit 1 when an aim is not met or a page fails")
    args = parser.parse_args(argv)
    positive = [args.products, args.seconds, args.single_seconds, args.concurrency, args.workers, args.rounds]
    if min([*positive, args.urls]) <= 0 or args.small < 0:
        parser.error("--products, --seconds, --single-seconds, --concurrency, --workers, --rounds, --urls: > 0")
    return args


def add_page_arguments(parser: argparse.ArgumentParser) -> None:
    """The server, the load and the pages measured: shared with bench/mechanisms_bench.py."""
    parser.add_argument("--concurrency", type=int, default=8, help="simultaneous connections (8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--urls", type=int, default=20_000, help="URLs in each spread-out list (20000)")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto", help="load generator (auto)")
    parser.add_argument("--category", default="videonablyudenie", help="slug of the category page")
    parser.add_argument("--product", default="", help="slug of the product page (default: picked from the DB)")
    parser.add_argument("--query", default="камера hikvision", help="search query")
    parser.add_argument("--seed-timeout", type=float, default=1800, help="give up seeding after this many seconds")


def require_postgres() -> str:
    """Return DATABASE_URL, or exit with a message when it is not PostgreSQL."""
    import environ

    url = os.environ.get("DATABASE_URL", "")
    engine = environ.Env.db_url_config(url)["ENGINE"] if url else ""
    if "postgresql" not in engine:
        sys.exit(
            "bench: DATABASE_URL must point to PostgreSQL (the benchmark measures the production set-up).\n"
            '  make bench BENCH_ARGS="--products 100000"   starts throwaway PostgreSQL and Redis, or\n'
            "  DATABASE_URL=postgres://user@127.0.0.1:5432/db .venv/bin/python bench/catalog_bench.py"
        )
    return url


def configure_environment() -> None:
    """Production settings plus the trivial view, served over plain HTTP on 127.0.0.1."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
            "DJANGO_DEBUG": "false",
            "EMAIL_URL": "smtp://127.0.0.1:25",
            "SMS_BACKEND": "bench.sms.DiscardSmsBackend",
            "PAYMENT_SANDBOX_ALLOWED": "true",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
    )


def manage(*arguments: str, timeout: float = 600) -> None:
    command = [sys.executable, str(ROOT / "manage.py"), *arguments]
    log("$ manage.py " + " ".join(arguments))
    subprocess.run(command, cwd=ROOT, check=True, timeout=timeout)


def product_count() -> int:
    from catalog.models import Product

    return Product.objects.count()


def grow(products: int, timeout: float) -> int:
    """Seed until the catalog holds the demo catalogue plus `products` generated ones (seed_demo adds the missing)."""
    from django.db import connection, connections

    started = time.monotonic()
    manage("seed_demo", "--products", str(products), timeout=timeout)
    log(f"seeded in {time.monotonic() - started:.0f} s")
    with connection.cursor() as cursor:
        # The tables as autovacuum leaves them after a bulk insert (planner statistics, visibility map, the full-text
        # index's pending list merged), now rather than in the middle of a measurement.
        cursor.execute("VACUUM ANALYZE")
    count = product_count()
    connections.close_all()
    return count


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


# --- What to measure ---------------------------------------------------------------------------


def pick_targets(args: argparse.Namespace, buyer: str) -> list[Target]:
    """Every page for every kind of visitor that means something; the trivial view comes separately."""
    from django.urls import reverse

    from bench.buyer import CART_LINES
    from catalog.models import Product
    from catalog.selectors import category_tree

    tree = category_tree()
    node = tree.by_slug.get(args.category)
    if node is None:
        roots = urllists.roots_by_size()
        if not roots:
            sys.exit("bench: the catalog has no active category")
        log(f"category {args.category!r} not found; using {roots[0].slug!r}, the biggest top-level one")
        node = roots[0]
    category_ids = tree.descendant_ids(node)
    in_category = Product.objects.filter(is_active=True, category_id__in=category_ids)
    slug = args.product
    if not slug:
        product = in_category.order_by("-popularity", "pk").first() or Product.objects.filter(is_active=True).first()
        if product is None:
            sys.exit("bench: the catalog has no active product")
        slug = product.slug
    hot = {
        "home": ("/", ""),
        "category": (node.url, f"{in_category.count()} active products in {len(category_ids)} categories"),
        "product": (reverse("catalog:product", kwargs={"slug": slug}), ""),
        "search": (reverse("catalog:search") + "?" + urlencode({"q": args.query}), ""),
        "cart": (reverse("cart:detail"), ""),
        "checkout": (reverse("orders:checkout"), "Moscow, courier"),
    }
    targets = []
    for page in PAGES:
        path, note = hot[page]
        if page not in ("cart", "checkout"):
            targets.append(Target(page, "hot", path, note))
        if page in SPREAD_PAGES:
            targets.append(Target(page, "spread", "/", "", walk=page))
        targets.append(Target(page, "signed-in", path, f"{CART_LINES} cart lines", cookie=buyer))
    return targets


def make_walk(name: str, paths: list[str], directory: Path) -> Walk:
    if not paths:
        raise RuntimeError(f"no URLs for the {name} list: is the catalog empty?")
    file = urllists.write_paths(paths, directory / f"{name}.txt")
    log(f"{len(paths)} {name} URLs in the list")
    return Walk(file, len(paths))


def measure(client: str, port: int, target: Target, walks: dict[str, Walk], *, seconds, concurrency) -> Measurement:
    runner = run_wrk if client == "wrk" else run_python
    walk = walks.get(target.walk) if target.walk else None
    result = runner(
        port,
        target.path,
        seconds=seconds,
        concurrency=concurrency,
        cookie=target.cookie,
        paths=walk.path_list() if walk else None,
    )
    sent = result.pop("sent", [])
    new_share = walk.advance(sent) if walk else None
    drain(port)
    if not result["requests"]:
        # Every request took longer than the measurement: a failure, not a figure.
        result.update(errors=result["errors"] + 1, p50_ms=float("nan"), p99_ms=float("nan"))
        result["error_detail"] = {**result["error_detail"], "no_response_completed": 1}
    rps = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    path = f"{len(walk.seen)} of {walk.length} {target.walk} URLs" if walk else target.path
    return Measurement(
        page=target.page, variant=target.variant, path=path, tool=client, rps=rps, new_share=new_share, **result
    )


def check_page(port: int, target: Target, walks: dict[str, Walk]) -> str:
    """Fetch the page (the last 5 of a list) once; an error text when one does not answer 200."""
    paths = [target.path]
    if target.walk:
        walk = walks[target.walk]
        paths = walk.file.read_text().split()[-5:]  # the end of the list: the walk reaches it last, if ever
        walk.seen.update(range(walk.length - len(paths), walk.length))
    for path in paths:
        try:
            status, body = fetch(port, path, cookie=target.cookie)
        except OSError as error:
            return f"{path}: {type(error).__name__}: {error}"
        if status != 200:
            return f"{path}: HTTP {status}: {body[:200].decode(errors='replace')!r}"
    return ""


def median_measurement(samples: list[Measurement]) -> Measurement:
    if len(samples) == 1:
        return samples[0]
    middle = sorted(samples, key=lambda m: m.rps)[len(samples) // 2]
    ratios = [m.vs_trivial for m in samples if m.vs_trivial]
    shares = [m.new_share for m in samples if m.new_share is not None]
    return Measurement(
        page=middle.page,
        variant=middle.variant,
        path=middle.path,
        tool=middle.tool,
        requests=sum(m.requests for m in samples),
        seconds=sum(m.seconds for m in samples),
        rps=statistics.median(m.rps for m in samples),
        p50_ms=statistics.median(m.p50_ms for m in samples),
        p99_ms=statistics.median(m.p99_ms for m in samples),
        errors=sum(m.errors for m in samples),
        error_detail=middle.error_detail,
        vs_trivial=statistics.median(ratios) if ratios else None,
        new_share=statistics.median(shares) if shares else None,
    )


# --- Phases ------------------------------------------------------------------------------------


def single(client, port, walk_name, walks, args) -> Measurement:
    """Server time of a miss: one connection walking a URL list, after a second of warm-up on it."""
    target = Target(walk_name, "c1", "/", walk=walk_name)
    measure(client, port, target, walks, seconds=1, concurrency=1)
    return measure(client, port, target, walks, seconds=args.single_seconds, concurrency=1)


def single_trivial(client, port, walks, args) -> Measurement:
    """The trivial view from one connection: the least server time this machine gives, beside the misses
    (judged in absolute milliseconds, so a slower day of a shared machine shows here first)."""
    target = Target("trivial", "c1", TRIVIAL_PATH)
    measure(client, port, target, walks, seconds=1, concurrency=1)
    return measure(client, port, target, walks, seconds=args.single_seconds, concurrency=1)


def load_rounds(client, port, targets, walks, args) -> dict[tuple[str, str], Measurement]:
    """Every round: the trivial view, every target, the trivial view again; ratios to the two's mean."""
    trivial = Target("trivial", "hot", TRIVIAL_PATH)
    samples: dict[tuple[str, str], list[Measurement]] = {}

    def one(target: Target) -> Measurement:
        if args.warmup > 0:
            measure(client, port, target, walks, seconds=args.warmup, concurrency=args.concurrency)
        sample = measure(client, port, target, walks, seconds=args.seconds, concurrency=args.concurrency)
        log(
            f"{target.page:<9} {target.variant:<9} {sample.rps:8.1f} rps  p50 {report.ms(sample.p50_ms)} ms  "
            f"p99 {report.ms(sample.p99_ms)} ms  errors {sample.errors}"
            + (f"  new URLs {sample.new_share:.0%}" if sample.new_share is not None else "")
        )
        return sample

    for round_number in range(1, args.rounds + 1):
        log(f"round {round_number} of {args.rounds}")
        first = one(trivial)
        round_samples = [one(t) for t in targets]
        last = one(trivial)
        baseline = (first.rps + last.rps) / 2
        first.rps = baseline
        first.requests += last.requests
        first.seconds += last.seconds
        first.p50_ms = (first.p50_ms + last.p50_ms) / 2
        first.p99_ms = max(first.p99_ms, last.p99_ms)
        first.errors += last.errors
        for sample in [first, *round_samples]:
            sample.vs_trivial = sample.rps / baseline if baseline else None
            samples.setdefault((sample.page, sample.variant), []).append(sample)
    return {key: median_measurement(found) for key, found in samples.items()}


def run_stampede(args, buyer: str, log_path: Path) -> stampede.StampedeResult | None:
    """The edit under load, on a gunicorn that counts category store builds (bench/buildcount.py)."""
    from django.db import connections

    if not stampede.counter_available():
        log("stampede not measured: the workers share no cache with the benchmark (REDIS_URL is not set)")
        return None
    path, unrelated_path, product_id = stampede.stampede_pages()
    connections.close_all()
    with gunicorn(workers=args.workers, log_path=log_path, app="bench.buildcount:application") as port:
        result = stampede.measure_stampede(
            port=port,
            path=path,
            unrelated_path=unrelated_path,
            cookie=buyer,
            edit=lambda: stampede.catalog_edit(product_id),
            concurrency=args.concurrency,
        )
    log(
        f"stampede: {result.after_edit} category store builds after the edit under load, {result.single} "
        f"for one computation; {result.unrelated} for an unrelated category"
    )
    return result


# --- The run ----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    require_postgres()
    configure_environment()
    import django

    django.setup()
    from django.db import connections

    from bench.buyer import bench_buyer_cookie

    client = choose_client(args.client)
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    redis = bool(os.environ.get("REDIS_URL"))
    if not redis:
        log("REDIS_URL is not set: each worker caches in its own memory (production uses Redis)")
    rng = random.Random(12)
    failures: dict[str, str] = {}
    walks: dict[str, Walk] = {}
    search_small: tuple[int, Measurement] | None = None
    with tempfile.TemporaryDirectory(prefix="shop-bench-") as tmp:
        tmp_dir, log_path = Path(tmp), Path(tmp) / "gunicorn.log"
        existing = product_count()
        if args.small and args.small < args.products:
            if existing < args.small:
                count = grow(args.small, args.seed_timeout)
                walks["search"] = make_walk("search", urllists.search_paths(rng, args.urls), tmp_dir)
                with gunicorn(workers=args.workers, log_path=log_path) as port:
                    search_small = (count, single(client, port, "search", walks, args))
                log(f"search miss at {count} products: p50 {report.ms(search_small[1].p50_ms)} ms")
            else:
                log(f"search not measured at {args.small}: the database already holds {existing} products")
        count = product_count()
        if count < args.products:
            count = grow(args.products, args.seed_timeout)
        else:
            log(f"the database already holds {count} products (>= {args.products}): not seeding")
        pg_version = postgres_version()
        log(f"{count} products; PostgreSQL {pg_version}; client {client}; concurrency {args.concurrency}")
        if "search" not in walks:
            walks["search"] = make_walk("search", urllists.search_paths(rng, args.urls), tmp_dir)
        walks["product"] = make_walk("product", urllists.product_paths(rng, args.urls), tmp_dir)
        walks["category"] = make_walk("category", urllists.category_paths(rng, args.urls), tmp_dir)
        buyer = bench_buyer_cookie()
        targets = pick_targets(args, buyer)
        connections.close_all()

        with gunicorn(workers=args.workers, log_path=log_path) as port:
            measured = []
            for target in targets:
                if problem := check_page(port, target, walks):
                    failures[f"{target.page} {target.variant}"] = problem
                    log(f"{target.page} {target.variant} fails, not measured: {problem}")
                else:
                    measured.append(target)
            results = load_rounds(client, port, measured, walks, args)
            singles = [("trivial", count, single_trivial(client, port, walks, args))]
            singles += [(page, count, single(client, port, page, walks, args)) for page in SPREAD_PAGES]
            weights = {} if args.no_weight else weigh_pages(port, [t for t in measured if t.variant == "hot"])
        stampede_result = None if args.no_stampede else run_stampede(args, buyer, log_path)
        server_log = tail(log_path)

    if search_small:
        singles.insert([page for page, _, _ in singles].index("search"), ("search", search_small[0], search_small[1]))
    verdicts = report.judge(results, singles, search_small, count, stampede_result, weights)
    report.print_report(args, targets, results, failures, singles, stampede_result, weights, verdicts, count, client)
    errors = failures or any(m.errors for m in results.values())
    if server_log.strip() and errors:
        print("\ngunicorn log (tail):\n" + server_log)
    if not args.no_json:
        settings = {k: v for k, v in vars(args).items() if k != "no_json"}
        summary = {"products": count, "postgresql": pg_version, "redis": redis, "client": client, "settings": settings}
        summary |= {
            "failures": failures,
            "stampede": asdict(stampede_result) if stampede_result else None,
            "page_weight_kib": {name: asdict(w) for name, w in weights.items()},
        }
        path = report.write_json(RESULTS_DIR, summary, list(results.values()), singles, verdicts)
        log(f"results written to {path.relative_to(ROOT)}")
    if args.strict and (errors or not all(v.passed for v in verdicts)):
        return 1
    return 0


def weigh_pages(port: int, targets: list[Target]) -> dict[str, page_weight.PageWeight]:
    """KiB a browser transfers per page, first and repeat visit; empty when Chromium is missing."""
    if reason := page_weight.unavailable():
        log(f"page weight not measured: {reason}")
        return {}
    weights = page_weight.measure(f"http://{HOST}:{port}", [t.path for t in targets])
    return {t.page: w for t, w in zip(targets, weights, strict=True)}


def main(argv: list[str] | None = None) -> int:
    return run_bench(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
