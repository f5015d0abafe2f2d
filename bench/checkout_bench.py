#!/usr/bin/env python
"""Checkout benchmark: many concurrent buyers place orders for a scarce product through `order_place` on
PostgreSQL; prints orders per second, p50/p95 latency, refusals and the oversell count, which must be 0.

    .ci/with-services .venv/bin/python bench/checkout_bench.py --buyers 400 --units 100 --concurrency 32
"""

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=400)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("checkout bench needs PostgreSQL: set DATABASE_URL (make bench starts a throwaway one)")
        return 2
    call_command("migrate", verbosity=0)
    from decimal import Decimal

    from catalog.models import Stock, Warehouse
    from catalog.selectors import stock_drift
    from catalog.tests.factories import CategoryFactory, StockFactory
    from core.models import Region
    from delivery.models import PickupKind, PickupPoint
    from demo.checkout import demo_checkout_seed
    from orders.exceptions import OrderError
    from orders.models import Order
    from orders.tests.factories import cart_of, place

    warehouse, _ = Warehouse.objects.get_or_create(code="bench-msk", defaults={"name": "Бенч", "city": "Москва"})
    warehouse.regions.set(Region.objects.filter(code="77"))
    demo_checkout_seed()
    store = PickupPoint.objects.filter(kind=PickupKind.STORE, region__code="77").first()
    product = StockFactory(
        warehouse=warehouse, quantity=args.units, product__price=Decimal("990.00"), product__category=CategoryFactory()
    ).product
    carts = [cart_of((product, 1)) for _ in range(args.buyers)]
    before = Order.objects.count()
    latencies, refused, failed = [], [], []
    lock = threading.Lock()

    def buy(i):
        started = time.perf_counter()
        try:
            place(carts[i], store, delivery="pickup")
            outcome = None
        except OrderError:
            outcome = "refused"
        except Exception as error:  # counted and printed: a benchmark reports, it does not stop
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            latencies.append(time.perf_counter() - started)
            if outcome == "refused":
                refused.append(i)
            elif outcome:
                failed.append(outcome)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        list(pool.map(buy, range(args.buyers)))
    seconds = time.perf_counter() - started
    placed = Order.objects.count() - before
    stock = Stock.objects.get(product=product)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"buyers {args.buyers}, units {args.units}, concurrency {args.concurrency}")
    print(f"orders {placed}, refused {len(refused)}, errors {len(failed)} {sorted(set(failed))[:3]}")
    print(f"attempts per second {args.buyers / seconds:.1f}, orders per second {placed / seconds:.1f}")
    print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"oversell {max(stock.reserved - stock.quantity, 0) + max(placed - args.units, 0)}")
    print(f"stock drift {stock_drift()}")
    return 0 if placed <= args.units and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
