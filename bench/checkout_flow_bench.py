#!/usr/bin/env python
"""Checkout flow benchmark: concurrent signed-in buyers go through the whole checkout over HTTP against
gunicorn and PostgreSQL (checkout page, its POST, «Оплата», confirm, the cart refilled), some of them after
one scarce product; prints orders/s, latency per step, errors, the oversell count, one page's cost per step
(queries, SQL ms, Python ms) and the verdicts of issue 23.

    make bench-checkout CHECKOUT_ARGS="--seconds 30"
    .ci/with-services .venv/bin/python bench/checkout_flow_bench.py --seconds 5 --buyers 10   # a smoke run

See bench/README.md, «Checkout flow».
"""

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.aims import FAIL, PASS, Verdict  # noqa: E402
from bench.catalog_bench import configure_environment, manage, require_postgres  # noqa: E402
from bench.loadgen import HOST, percentile  # noqa: E402
from bench.profile_page import QueryRecorder  # noqa: E402
from bench.server import gunicorn, log, run_bench, tail  # noqa: E402

ORDERS_PER_SECOND, CONFIRM_P95_MS = 40, 300  # issue 23
STEPS = ["checkout GET", "checkout POST", "payment GET", "confirm POST", "cart add"]
PLENTY = 1_000_000  # units of each ordinary product in the Moscow warehouse: never run out
CHECKOUT, PAYMENT, CART, CART_ADD = "/checkout/", "/checkout/payment/", "/cart/", "/cart/add/"
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TOTAL_RE = re.compile(rb'name="expected_total" value="([^"]*)"')
METHOD_RE = re.compile(rb'name="payment_method" value="([^"]+)"')
REMOVE_RE = re.compile(rb'action="(/cart/line/\d+/remove/)"')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=50, help="concurrent buyers, each its own account (50)")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of the measurement (30)")
    parser.add_argument("--warmup", type=float, default=5.0, help="warm-up before it, not counted (5)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    parser.add_argument("--pool", type=int, default=30, help="products the buyers draw their 3 lines from (30)")
    parser.add_argument("--scarce-units", type=int, default=10, help="units of the scarce product (10)")
    parser.add_argument("--scarce-share", type=float, default=0.2, help="share of buyers who want it (0.2)")
    parser.add_argument("--repeat", type=int, default=10, help="in-process requests per step for the cost (10)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when an aim is not met")
    return parser.parse_args(argv)


@dataclass
class Shop:
    """What the buyers need to know: their sessions, the products, the store to collect from."""

    sessions: list[str]
    users: list
    pool: list[int]
    scarce: int
    region: int
    store: int


def seed(args) -> Shop:
    """Demo catalogue and delivery, plenty of stock for the pool, a few units of the scarce product, buyers."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db.models import F, Q

    from bench.buyer import bench_buyers, cart_fill, signed_in_session
    from catalog.models import Product, Stock, Warehouse
    from core.models import Region
    from delivery.models import PickupKind, PickupPoint
    from demo.checkout import demo_checkout_seed

    manage("seed_demo", "--if-empty", "-v", "0")
    demo_checkout_seed()
    moscow, msk = Region.objects.get(code="77"), Warehouse.objects.get(code="msk")
    store = PickupPoint.objects.filter(kind=PickupKind.STORE, region=moscow, warehouse=msk, is_active=True).first()
    simple = Product.objects.filter(
        Q(backorder_days__isnull=True) | Q(backorder_days=0),
        is_active=True,
        is_service=False,
        components__isnull=True,
        price__gt=0,
        stocks__warehouse=msk,
    )
    products = list(simple.distinct().order_by("pk")[: args.pool + 1])
    if store is None or len(products) < 4:
        sys.exit("bench: the demo data lack a Moscow store or in-stock products")
    pool, scarce = products[:-1], products[-1]
    Stock.objects.filter(product__in=pool, warehouse=msk).update(quantity=F("reserved") + PLENTY)
    Stock.objects.filter(product=scarce).exclude(warehouse=msk).update(quantity=F("reserved"))
    Stock.objects.filter(product=scarce, warehouse=msk).update(quantity=F("reserved") + args.scarce_units)
    if "catalog" in settings.CACHES:
        caches["catalog"].clear()  # the stock was written with update(): no page may show the old one
    users = bench_buyers(args.buyers, region=moscow)
    rng = random.Random(23)
    for user in users:
        cart_fill(user, rng.sample(pool, 3))  # the first round starts at the checkout page
    sessions = [signed_in_session(user, region=moscow) for user in users]
    log(f"{len(pool)} products in the pool, scarce {scarce.sku} × {args.scarce_units}, store «{store.name}»")
    return Shop(sessions, users, [p.pk for p in pool], scarce.pk, moscow.pk, store.pk)


class Refused(Exception):
    """The shop did not take this round's order (the scarce product ran out, or an error)."""


@dataclass
class Buyer:
    """One buyer on one keep-alive connection, with its own cookies; records every request it makes."""

    port: int
    shop: Shop
    number: int
    wants_scarce: bool
    records: list = field(default_factory=list)  # (step, started, seconds, status)
    errors: Counter = field(default_factory=Counter)
    refusals: Counter = field(default_factory=Counter)

    def __post_init__(self):
        from django.conf import settings

        self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        self.cookies = {settings.SESSION_COOKIE_NAME: self.shop.sessions[self.number]}
        self.token = ""
        self.method = "on_receipt" if self.number % 2 else "card"
        self.email = self.shop.users[self.number].email
        self.rng = random.Random(self.number)

    def request(self, step: str, method: str, path: str, form: dict | None = None) -> tuple[int, str, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.errors[f"{step}: {type(error).__name__}"] += 1
            raise Refused(step) from error
        self.records.append((step, started, time.monotonic() - started, response.status))
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.status >= 400:
            self.errors[f"{step}: HTTP {response.status}"] += 1
            raise Refused(step)
        if token := CSRF_RE.search(content):
            self.token = token.group(1).decode()
        return response.status, response.headers.get("Location", ""), content

    def refused(self, step: str, why: str) -> None:
        if self.wants_scarce:
            self.refusals[f"{step}: {why}"] += 1
        else:  # only the scarce product may be refused: anything else is a failure of the flow
            self.errors[f"{step}: {why}"] += 1
        raise Refused(step)

    def one_round(self) -> None:
        status, _, _ = self.request("checkout GET", "GET", CHECKOUT)
        if status != 200:
            self.refused("checkout GET", f"HTTP {status}")
        fields = {"region": self.shop.region, "full_name": f"Покупатель Бенч-{self.number + 1}", "email": self.email}
        fields |= {"delivery": "pickup", "pickup_point": self.shop.store, "action": "pay"}  # a Moscow store
        status, location, _ = self.request("checkout POST", "POST", CHECKOUT, fields)
        if status != 302 or not location.endswith(PAYMENT):
            self.refused("checkout POST", f"HTTP {status} {location}".strip())
        status, _, page = self.request("payment GET", "GET", PAYMENT)
        total, methods = TOTAL_RE.search(page), [m.decode() for m in METHOD_RE.findall(page)]
        if status != 200 or total is None:
            self.refused("payment GET", f"HTTP {status}")
        method = self.method if self.method in methods else "card"
        form = {"payment_method": method, "expected_total": total.group(1).decode()}
        status, location, _ = self.request("confirm POST", "POST", PAYMENT, form)
        if status != 302 or "/orders/" not in location:
            self.refused("confirm POST", f"HTTP {status}")

    def refill(self) -> None:
        products = self.rng.sample(self.shop.pool, 3) + ([self.shop.scarce] if self.wants_scarce else [])
        for product in products:
            self.request("cart add", "POST", CART_ADD, {"product": product, "quantity": 1, "next": CHECKOUT})

    def empty_cart(self) -> None:
        _, _, page = self.request("cart GET", "GET", CART)
        for action in dict.fromkeys(REMOVE_RE.findall(page)):
            self.request("cart remove", "POST", action.decode(), {})

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            try:
                self.one_round()
                self.refill()
            except Refused:
                try:  # start again from a cart of ordinary products
                    self.empty_cart()
                    self.refill()
                except Refused:
                    time.sleep(0.5)


def load(args, shop: Shop, port: int) -> tuple[list, Counter, Counter, float, float]:
    """Every buyer for warm-up plus measurement; the records of requests begun inside the measurement."""
    begin = time.monotonic() + args.warmup
    until = begin + args.seconds
    every = round(1 / args.scarce_share) if args.scarce_share > 0 else 0
    buyers = [Buyer(port, shop, number, bool(every) and number % every == 0) for number in range(args.buyers)]
    threads = [threading.Thread(target=b.run, args=(until,), daemon=True) for b in buyers]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, begin - time.monotonic()))
    cpu = time.process_time()
    for thread in threads:
        thread.join()
    cpu_share = (time.process_time() - cpu) / args.seconds
    records = [r for b in buyers for r in b.records if begin <= r[1] < until]
    errors, refusals = sum((b.errors for b in buyers), Counter()), sum((b.refusals for b in buyers), Counter())
    return records, errors, refusals, args.seconds, cpu_share


def stock_check(shop: Shop, since) -> tuple[int, list[str], int, int]:
    """Units of the scarce product sold, stock drift, orders placed and those without their reservations."""
    from django.db.models import Sum

    from catalog.models import ReservationState, StockReservation
    from catalog.selectors import stock_drift
    from orders.models import Order, OrderLine

    placed = Order.objects.filter(created_at__gte=since, user__in=shop.users)
    sold = OrderLine.objects.filter(order__in=placed, product_id=shop.scarce).aggregate(n=Sum("quantity"))["n"] or 0
    wanted = dict(
        OrderLine.objects.filter(order__in=placed, is_service=False)
        .values_list("order__number")
        .annotate(n=Sum("quantity"))
    )
    held = dict(
        StockReservation.objects.filter(reference__in=list(wanted), state=ReservationState.HELD)
        .values_list("reference")
        .annotate(n=Sum("quantity"))
    )
    missing = sum(1 for number, n in wanted.items() if held.get(number) != n)
    return sold, stock_drift(), placed.count(), missing


def page_costs(shop: Shop, repeat: int) -> dict[str, tuple[int, int, float, float]]:
    """Each step in-process with the test client on one buyer: status, median queries, SQL ms and Python ms."""
    from django.db import connection
    from django.test import Client

    from bench.buyer import cart_fill
    from catalog.models import Product

    user, products = shop.users[0], list(Product.objects.filter(pk__in=shop.pool[:3]))
    client = Client()
    client.force_login(user)
    fields = {"region": shop.region, "full_name": "Покупатель Бенч-1", "email": user.email, "action": "pay"}
    fields |= {"delivery": "pickup", "pickup_point": shop.store}
    page = {}
    steps = {
        "cart add": lambda: client.post(CART_ADD, {"product": products[2].pk, "next": CHECKOUT}),
        "checkout GET": lambda: client.get(CHECKOUT),
        "checkout POST": lambda: client.post(CHECKOUT, fields),
        "payment GET": lambda: client.get(PAYMENT),
        "confirm POST": lambda: client.post(PAYMENT, {"payment_method": "on_receipt", **page}),
    }
    samples: dict[str, list] = {step: [] for step in STEPS}
    for number in range(repeat + 1):  # the first round warms the caches and the connection
        cart_fill(user, products[:2])
        for step, request in steps.items():
            recorder = QueryRecorder()
            with connection.execute_wrapper(recorder):
                began = time.perf_counter()
                response = request()
                seconds = time.perf_counter() - began
            if found := TOTAL_RE.search(response.content):
                page["expected_total"] = found.group(1).decode()
            sql = sum(q["time"] for q in recorder.queries)
            if number:
                samples[step].append((response.status_code, len(recorder.queries), sql * 1000, (seconds - sql) * 1000))
    return {
        step: (rows[-1][0], *(statistics.median(row[i] for row in rows) for i in (1, 2, 3)))
        for step, rows in samples.items()
    }


def report(args, records, errors, refusals, seconds, cpu_share, checked, costs) -> list[Verdict]:
    sold, drift, in_db, missing = checked
    oversold = max(0, sold - args.scarce_units)
    placed = sum(1 for step, _, _, status in records if step == "confirm POST" and status == 302)
    rate = placed / seconds
    print(f"\n== Checkout flow: {args.buyers} buyers, {args.workers} gunicorn workers, {seconds:g} s measured")
    print(f"orders placed {placed} ({rate:.1f}/s); {in_db} in the database, warm-up and the run's tail included")
    print(f"load generator: {cpu_share:.0%} of one core (it shares the machine with the server)")
    print(f"\n{'step':<15}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    p95 = {}
    for step in STEPS:
        times = sorted(r[2] * 1000 for r in records if r[0] == step)
        p95[step] = percentile(times, 95)
        cells = "".join(f"{percentile(times, p):>9.0f}" for p in (50, 95, 99))
        print(f"{step:<15}{len(times):>9}{cells}")
    for title, counter in (("\nerrors (warm-up included)", errors), ("refusals of the scarce product", refusals)):
        print(f"{title} {sum(counter.values())}" + "".join(f"\n  {k}: {v}" for k, v in counter.most_common(8)))
    print(f"scarce product: {sold} of {args.scarce_units} units sold, oversold {oversold}")
    print(f"stock drift {drift or 'none'}; orders without their reservations {missing} of {in_db}")
    print(f"\n== One page's cost: in-process, test client, one buyer, median of {args.repeat}")
    print(f"{'step':<15}{'status':>7}{'queries':>9}{'SQL ms':>9}{'Python ms':>11}{'total ms':>10}")
    for step, (status, queries, sql, python) in costs.items():
        print(f"{step:<15}{status:>7}{queries:>9.0f}{sql:>9.1f}{python:>11.1f}{sql + python:>10.1f}")
    per_order = sum(sum(cost[2:]) * (3 if step == "cart add" else 1) for step, cost in costs.items())
    cores = os.cpu_count() or 1
    print(
        f"server time of one order (the four steps and 3 cart adds) {per_order:.0f} ms: at most "
        f"{cores * 1000 / per_order:.0f} orders/s on {cores} cores with nothing else running"
    )
    confirm = p95["confirm POST"]
    verdicts = [
        Verdict(f"orders/s >= {ORDERS_PER_SECOND}", PASS if rate >= ORDERS_PER_SECOND else FAIL, f"{rate:.1f}"),
        Verdict(f"confirm p95 < {CONFIRM_P95_MS} ms", PASS if confirm < CONFIRM_P95_MS else FAIL, f"{confirm:.0f} ms"),
        Verdict(
            "0 oversold, no stock drift, every order reserved",
            PASS if not oversold and not drift and not missing else FAIL,
            f"{oversold} oversold, {len(drift)} drifted rows, {missing} orders unreserved",
        ),
    ]
    print()
    for verdict in verdicts:
        print(f"{verdict.status:<5} {verdict.aim}: {verdict.value}")
    return verdicts


def run(args) -> int:
    require_postgres()
    configure_environment()
    os.environ["DJANGO_ALLOWED_HOSTS"] = f"{HOST},testserver"  # the test client measures one page's cost
    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone

    manage("migrate", "--noinput", "-v", "0")
    shop = seed(args)
    since = timezone.now()
    connections.close_all()
    with tempfile.TemporaryDirectory(prefix="shop-bench-") as tmp:
        log_path = Path(tmp) / "gunicorn.log"
        with gunicorn(workers=args.workers, log_path=log_path) as port:
            log(f"{args.buyers} buyers: warm-up {args.warmup:g} s, then {args.seconds:g} s")
            records, errors, refusals, seconds, cpu_share = load(args, shop, port)
        server_log = tail(log_path)
    checked = stock_check(shop, since)
    costs = page_costs(shop, args.repeat)
    verdicts = report(args, records, errors, refusals, seconds, cpu_share, checked, costs)
    if errors and server_log.strip():
        print("\ngunicorn log (tail):\n" + server_log)
    return 1 if args.strict and not all(v.passed for v in verdicts) else 0


def main(argv=None) -> int:
    args = parse_args(argv)
    if min(args.buyers, args.seconds, args.workers, args.repeat) <= 0 or args.pool < 3:
        sys.exit("bench: --buyers, --seconds, --workers and --repeat must be > 0, --pool at least 3")
    return run_bench(run, args)


if __name__ == "__main__":
    sys.exit(main())
