#!/usr/bin/env python
"""Catalog benchmark: seed N products into PostgreSQL, serve the shop with gunicorn on 127.0.0.1 and
measure requests per second and p50/p99 latency of a category page, a product page and a search,
each beside a trivial Django view measured in the same run.

    .venv/bin/python bench/catalog_bench.py --products 100000     # DATABASE_URL must be PostgreSQL
    make bench BENCH_ARGS="--products 100000"                       # throwaway PostgreSQL and Redis

See bench/README.md.
"""

import argparse
import contextlib
import json
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
TRIVIAL_PATH = "/bench/trivial/"
AIM_PAGE = "category"
AIM_RATIO = 0.40
WEIGHT_AIM_PAGE = "category"
WEIGHT_AIM_KIB = 150

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import page_weight  # noqa: E402
from bench.loadgen import HOST, choose_client, run_python, run_wrk  # noqa: E402


@dataclass
class Target:
    name: str
    path: str
    note: str = ""
    cookie: str = ""  # a signed-in buyer's session, for the cart and checkout pages


@dataclass
class Measurement:
    page: str
    path: str
    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    error_detail: dict = field(default_factory=dict)
    vs_trivial: float | None = None  # rps over the trivial view's rps measured just before, in the same round


# --- Set-up -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="products the catalog must hold (100000)")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each measurement (10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up of each URL before it is measured (2)")
    parser.add_argument("--concurrency", type=int, default=8, help="simultaneous connections (8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--rounds", type=int, default=1, help="measure every page this many times, keep the median")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto", help="load generator (auto)")
    parser.add_argument("--category", default="videonablyudenie", help="slug of the category page")
    parser.add_argument("--product", default="", help="slug of the product page (default: picked from the DB)")
    parser.add_argument("--query", default="камера hikvision", help="search query")
    parser.add_argument("--seed-timeout", type=float, default=1800, help="give up seeding after this many seconds")
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/*.json")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the aim is missed or a page fails")
    args = parser.parse_args(argv)
    if args.products < 1 or args.seconds <= 0 or args.concurrency < 1 or args.workers < 1 or args.rounds < 1:
        parser.error("--products, --seconds, --concurrency, --workers and --rounds must be positive")
    return args


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


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
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
    )
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def manage(*arguments: str, timeout: float = 600) -> None:
    command = [sys.executable, str(ROOT / "manage.py"), *arguments]
    log("$ manage.py " + " ".join(arguments))
    subprocess.run(command, cwd=ROOT, check=True, timeout=timeout)


def product_count() -> int:
    from catalog.models import Product

    return Product.objects.count()


def prepare_database(args: argparse.Namespace) -> int:
    """Migrate, seed unless the catalog already holds enough products, collect static files."""
    import django
    from django.db import connection, connections

    django.setup()
    manage("migrate", "--noinput", "-v", "0")
    existing = product_count()
    if existing >= args.products:
        log(f"the database already holds {existing} products (>= {args.products}): not seeding")
    else:
        started = time.monotonic()
        manage("seed_demo", "--products", str(args.products), timeout=args.seed_timeout)
        log(f"seeded in {time.monotonic() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics as autovacuum would leave them, not as bulk inserts do
    manage("collectstatic", "--noinput", "-v", "0")
    count = product_count()
    connections.close_all()
    return count


def pick_targets(args: argparse.Namespace) -> list[Target]:
    """The trivial view, a big category, a real product of it and a search."""
    from django.db import connections
    from django.db.models import Count

    from catalog.models import Product
    from catalog.selectors import category_tree

    tree = category_tree()
    node = tree.by_slug.get(args.category)
    if node is None:
        counts = dict(
            Product.objects.filter(is_active=True)
            .values_list("category_id")
            .annotate(n=Count("pk"))
            .values_list("category_id", "n")
        )
        roots = sorted(tree.roots, key=lambda r: -sum(counts.get(i, 0) for i in tree.descendant_ids(r)))
        if not roots:
            sys.exit("bench: the catalog has no active category")
        log(f"category {args.category!r} not found; using {roots[0].slug!r}, the biggest top-level one")
        node = roots[0]
    category_ids = tree.descendant_ids(node)
    in_category = Product.objects.filter(is_active=True, category_id__in=category_ids)
    size = in_category.count()
    if args.product:
        product_slug = args.product
    else:
        product = in_category.order_by("-popularity", "pk").first() or Product.objects.filter(is_active=True).first()
        if product is None:
            sys.exit("bench: the catalog has no active product")
        product_slug = product.slug
    from bench.buyer import CART_LINES, bench_buyer_cookie

    buyer = bench_buyer_cookie()
    connections.close_all()
    return [
        Target("trivial", TRIVIAL_PATH, "HttpResponse('ok') through the full middleware"),
        Target("category", f"/catalog/{node.slug}/", f"{size} active products in {len(category_ids)} categories"),
        Target("product", f"/product/{urllib.parse.quote(product_slug)}/", ""),
        Target("search", "/search/?" + urllib.parse.urlencode({"q": args.query}), ""),
        Target("cart", "/cart/", f"a signed-in buyer with {CART_LINES} lines", cookie=buyer),
        Target("checkout", "/checkout/", f"the same buyer, Moscow, courier, {CART_LINES} lines", cookie=buyer),
    ]


def postgres_version() -> str:
    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connections.close_all()
    return version


# --- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, timeout: float = 30, cookie: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a fixed http URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextlib.contextmanager
def gunicorn(*, workers: int, log_path: Path):
    """Serve the shop on a free port of 127.0.0.1; always stopped on the way out."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "shop.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--chdir={ROOT}",
        "--timeout=60",
        "--log-level=warning",
    ]
    log_file = log_path.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{_tail(log_path)}")
            with contextlib.suppress(OSError):
                if fetch(port, TRIVIAL_PATH, timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s:\n{_tail(log_path)}")
            time.sleep(0.2)
        log(f"gunicorn (pid {process.pid}, {workers} workers) on http://{HOST}:{port}")
        yield port
    finally:
        stop_process_group(process)
        log_file.close()


def _tail(path: Path, size: int = 3000) -> str:
    return path.read_text(errors="replace")[-size:]


def stop_process_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # the group of the gunicorn we started: master and workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    log("gunicorn stopped")


def measure(client: str, port: int, target: Target, *, seconds: float, concurrency: int) -> Measurement:
    runner = run_wrk if client == "wrk" else run_python
    result = runner(port, target.path, seconds=seconds, concurrency=concurrency, cookie=target.cookie)
    drain(port)
    if not result["requests"]:
        # Every request took longer than the measurement: a failure, not a figure.
        result.update(errors=result["errors"] + 1, p50_ms=float("nan"), p99_ms=float("nan"))
        result["error_detail"] = {**result["error_detail"], "no_response_completed": 1}
    rps = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return Measurement(page=target.name, path=target.path, tool=client, rps=rps, **result)


def drain(port: int, *, limit: float = 120) -> None:
    """Wait until the requests a load generator left queued in gunicorn are served (the trivial view answers fast)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        began = time.monotonic()
        with contextlib.suppress(OSError):
            fetch(port, TRIVIAL_PATH, timeout=limit)
        if time.monotonic() - began < 0.05:
            return


# --- The run ----------------------------------------------------------------------------------


def check_page(port: int, target: Target) -> str:
    """Fetch the page once; return an error text when it does not answer 200 with HTML or text."""
    try:
        status, body = fetch(port, target.path, cookie=target.cookie)
    except OSError as error:
        return f"{type(error).__name__}: {error}"
    if status != 200:
        return f"HTTP {status}: {body[:200].decode(errors='replace')!r}"
    return ""


def median_measurement(samples: list[Measurement]) -> Measurement:
    if len(samples) == 1:
        return samples[0]
    ordered = sorted(samples, key=lambda m: m.rps)
    middle = ordered[len(ordered) // 2]
    return Measurement(
        page=middle.page,
        path=middle.path,
        tool=middle.tool,
        requests=sum(m.requests for m in samples),
        seconds=sum(m.seconds for m in samples),
        rps=statistics.median(m.rps for m in samples),
        p50_ms=statistics.median(m.p50_ms for m in samples),
        p99_ms=statistics.median(m.p99_ms for m in samples),
        errors=sum(m.errors for m in samples),
        error_detail=middle.error_detail,
        vs_trivial=statistics.median(ratios) if (ratios := [m.vs_trivial for m in samples if m.vs_trivial]) else None,
    )


def run(args: argparse.Namespace) -> int:
    require_postgres()
    configure_environment()
    client = choose_client(args.client)
    count = prepare_database(args)
    targets = pick_targets(args)
    pg_version = postgres_version()
    redis = bool(os.environ.get("REDIS_URL"))
    if not redis:
        log("REDIS_URL is not set: each worker caches in its own memory (production uses Redis)")
    log(f"{count} products; PostgreSQL {pg_version}; client {client}; concurrency {args.concurrency}")

    failures: dict[str, str] = {}
    samples: dict[str, list[Measurement]] = {t.name: [] for t in targets}
    with (
        tempfile.TemporaryDirectory(prefix="shop-bench-") as tmp,
        gunicorn(workers=args.workers, log_path=Path(tmp) / "gunicorn.log") as port,
    ):
        for target in targets:
            problem = check_page(port, target)
            if problem:
                failures[target.name] = problem
                log(f"{target.name} {target.path} fails, not measured: {problem}")
        for round_number in range(1, args.rounds + 1):
            baseline = None
            for target in targets:
                if target.name in failures:
                    continue
                if args.warmup > 0:
                    measure(client, port, target, seconds=args.warmup, concurrency=args.concurrency)
                sample = measure(client, port, target, seconds=args.seconds, concurrency=args.concurrency)
                if target.name == "trivial":
                    baseline = sample
                if baseline and baseline.rps:
                    sample.vs_trivial = sample.rps / baseline.rps
                samples[target.name].append(sample)
                log(
                    f"round {round_number}: {target.name:<9} {sample.rps:8.1f} rps  p50 {sample.p50_ms:.1f} ms  "
                    f"p99 {sample.p99_ms:.1f} ms  errors {sample.errors}"
                )
        weights = weigh_pages(port, [t for t in targets if t.name != "trivial" and t.name not in failures])
        server_log = _tail(Path(tmp) / "gunicorn.log")
    results = {name: median_measurement(found) for name, found in samples.items() if found}
    passed = print_report(args, targets, results, failures, count=count, client=client, weights=weights)
    if server_log.strip() and (failures or any(m.errors for m in results.values())):
        print("\ngunicorn log (tail):\n" + server_log)
    if not args.no_json:
        write_json(
            args, targets, results, failures, passed, count=count, client=client, pg_version=pg_version, weights=weights
        )
    if args.strict and (not passed or failures or any(m.errors for m in results.values())):
        return 1
    return 0


def weigh_pages(port: int, targets: list[Target]) -> dict[str, page_weight.PageWeight]:
    """KiB a browser transfers per page, first and repeat visit; empty when Chromium is missing."""
    if reason := page_weight.unavailable():
        log(f"page weight not measured: {reason}")
        return {}
    weights = page_weight.measure(f"http://{HOST}:{port}", [t.path for t in targets])
    return {t.name: w for t, w in zip(targets, weights, strict=True)}


def print_report(args, targets, results, failures, *, count: int, client: str, weights=None) -> bool:
    weights = weights or {}
    print()
    print(
        f"Catalog benchmark, {count} products, gunicorn {args.workers} sync workers, {client} "
        f"with {args.concurrency} connections, {args.seconds:g} s per page"
        + (f", median of {args.rounds} rounds" if args.rounds > 1 else "")
    )
    print(
        f"{'page':<10}{'rps':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs trivial':>12}{'errors':>8}"
        f"{'KiB 1st':>9}{'KiB rpt':>9}  path"
    )
    for target in targets:
        m = results.get(target.name)
        if m is None:
            print(f"{target.name:<10}{'FAILED':>9}  {target.path}  {failures.get(target.name, '')}")
            continue
        ratio = f"{m.vs_trivial:.0%}" if m.vs_trivial is not None else "-"
        w = weights.get(target.name)
        first, repeat = (f"{w.first_kib:.1f}", f"{w.repeat_kib:.1f}") if w else ("-", "-")
        print(
            f"{m.page:<10}{m.rps:>9.1f}{_ms(m.p50_ms):>9}{_ms(m.p99_ms):>9}{ratio:>12}{m.errors:>8}"
            f"{first:>9}{repeat:>9}  {m.path}" + (f"  ({target.note})" if target.note else "")
        )
    aim = results.get(AIM_PAGE)
    if aim and aim.vs_trivial is not None and not aim.errors:
        ratio = aim.vs_trivial
        passed = ratio >= AIM_RATIO
        verdict = "PASS" if passed else "FAIL"
    else:
        ratio, passed, verdict = 0.0, False, "FAIL (not measured or had errors)"
    aim_text = f"Aim: {AIM_PAGE} keeps >= {AIM_RATIO:.0%} of the trivial view's throughput"
    print(f"{aim_text}: {verdict} ({ratio:.0%})", flush=True)
    if weights:
        print(
            "KiB 1st / KiB rpt: transferred by Chromium on a first and a repeat visit, pictures left out; "
            f"aim: {WEIGHT_AIM_PAGE} first visit under {WEIGHT_AIM_KIB} KiB"
        )
    return passed


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


def _finite(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def write_json(
    args, targets, results, failures, passed, *, count: int, client: str, pg_version: str, weights=None
) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS_DIR / f"catalog-{stamp}.json"
    report = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "products": count,
        "postgresql": pg_version,
        "redis": bool(os.environ.get("REDIS_URL")),
        "cpus": os.cpu_count(),
        "client": client,
        "settings": {k: v for k, v in vars(args).items() if k not in {"no_json"}},
        "pages": [
            {
                **{key: _finite(value) for key, value in asdict(results[t.name]).items()},
                "note": t.note,
            }
            for t in targets
            if t.name in results
        ],
        "failures": failures,
        "aim": {"page": AIM_PAGE, "ratio": AIM_RATIO, "passed": passed},
        "page_weight_kib": {name: asdict(w) for name, w in (weights or {}).items()},
    }
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    log(f"results written to {path.relative_to(ROOT)}")


def _stop_on_signal(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A terminated run unwinds like Ctrl-C, so gunicorn (in its own session) is always stopped.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    try:
        return run(args)
    except RuntimeError as error:
        log(str(error))
        return 2
    except subprocess.CalledProcessError as error:
        log(f"{' '.join(map(str, error.cmd[1:]))} failed with exit code {error.returncode}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
