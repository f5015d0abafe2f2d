#!/usr/bin/env python
"""CCTV configurator benchmark: seed 100,000 products into PostgreSQL (the demo catalogue with its CCTV parts, and
generated cameras and recorders with the figures of demo ones), then choose kits for varied answers and time
them: the kit (`configuration_result`, the server's work for a configuration) and the whole page (in-process
client). Prints p50/p95, the queries per configuration, and PASS/FAIL against the aim of issue 26: a
configuration on a 100,000-product catalogue in under 100 ms of server time, with a fixed number of queries.
Each kit is also chosen from every CCTV part with all its stock (no narrowing) and must be the same.

    .ci/with-services .venv/bin/python bench/configurator_bench.py                 # throwaway PostgreSQL
    .ci/with-services .venv/bin/python bench/configurator_bench.py --products 2000 --rounds 20   # a smoke run
    DATABASE_URL=postgres://shop@127.0.0.1:5432/shop .venv/bin/python bench/configurator_bench.py

See bench/README.md («Configurator»).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AIM_MS = 100.0
# The region's warehouses, the units of the candidate cameras and other parts, the units of the recorders worth
# trying with the chosen cameras (two when no zone has a camera in stock): whatever the catalogue's size.
QUERY_BUDGET = 3
CCTV_CATEGORIES = ["ip-kamery", "analogovye-kamery", "videoregistratory"]
ZONE_NAMES = ["Вход", "Периметр", "Парковка", "Склад", "Касса", "Двор"]


def seed(products: int) -> None:
    """Seed the demo catalogue (with its CCTV parts) and the generated products in a process of its own."""
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"}  # no feed is built while seeding
    command = [sys.executable, str(ROOT / "manage.py"), "seed_demo", "--products", str(products), "--verbosity", "0"]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=3600)
    print(f"seeded in {time.monotonic() - started:.0f} s")


def figures_spread() -> int:
    """Give generated cameras and recorders the CCTV figures of a demo product of their category, so the
    configurator has thousands of candidates to narrow, as a real catalogue would; return how many."""
    from catalog.models import Attribute, Product, ProductAttributeValue
    from configurator.selectors import ROLE_ATTRIBUTE
    from demo.loadtest import SKU_PREFIX

    templates: dict[int, list[list[tuple[int, str]]]] = {}
    demo = Product.objects.filter(category__slug__in=CCTV_CATEGORIES, attribute_values__attribute__slug=ROLE_ATTRIBUTE)
    for product in demo.exclude(sku__startswith=SKU_PREFIX).prefetch_related("attribute_values").order_by("pk"):
        values = [(v.attribute_id, v.value) for v in product.attribute_values.all()]
        templates.setdefault(product.category_id, []).append(values)
    role = Attribute.objects.get(slug=ROLE_ATTRIBUTE)
    generated = (
        Product.objects.filter(sku__startswith=SKU_PREFIX, category_id__in=list(templates))
        .exclude(attribute_values__attribute=role)
        .order_by("pk")
        .values_list("pk", "category_id")
    )
    rng = random.Random(26)
    rows = []
    for product_id, category_id in generated.iterator():
        for attribute_id, value in rng.choice(templates[category_id]):
            rows.append(ProductAttributeValue(product_id=product_id, attribute_id=attribute_id, value=value))
    ProductAttributeValue.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len({row.product_id for row in rows})


def answers_vary(rng: random.Random, region_ids: list[int]) -> dict:
    """Answers of the configurator's form for a random object: system, one to six zones, archive, recording."""
    from configurator import kit as k

    family = rng.choice(["ip", "ip", "ip", "analog"])
    answers = {
        "region": str(rng.choice(region_ids)),
        "family": family,
        "days": str(rng.choice([7, 14, 30, 30, 90])),
        "recording": rng.choice(["motion", "motion", "continuous"]),
        "motion_share": str(rng.choice([20, 40, 60])),
        "cable_run_m": str(rng.choice([15, 30, 50])),
        "profile": rng.choice(["optimal", "optimal", "reliable"]),
        "remote": "on",
    }
    zones = rng.randint(1, 6)
    for i in range(6):
        answers.update(
            {
                f"z{i}_name": ZONE_NAMES[i],
                f"z{i}_cameras": str(rng.randint(1, 4) if i < zones else 0),
                f"z{i}_place": rng.choice(["indoor", "outdoor"]),
                f"z{i}_detail": rng.choice([k.OVERVIEW, k.OVERVIEW, k.FACES, k.PLATES]),
                f"z{i}_night": str(rng.choice([0, 10, 20, 30])),
            }
        )
    return answers


def kit_signature(kit) -> tuple:
    if kit is None:
        return ()
    return (*((line.part.product_id, line.quantity) for line in kit.lines), tuple(c.ok for c in kit.checks))


def full_search(form) -> tuple:
    """The kit chosen from every CCTV part with all its stock in the region: what narrowing must not change."""
    from catalog.availability import free_unit_rows, serving_warehouse_ids
    from catalog.models import ProductAttributeValue
    from configurator import kit as k
    from configurator.selectors import ROLE_ATTRIBUTE, figures

    shared = figures()
    units: dict[int, int] = defaultdict(int)
    warehouses = serving_warehouse_ids(region_id=form.cleaned_data["region"].pk)
    role_products = ProductAttributeValue.objects.filter(attribute__slug=ROLE_ATTRIBUTE).values("product_id")
    for product_id, count in free_unit_rows(warehouse_ids=warehouses, product_ids=role_products):
        units[product_id] += count
    parts = {role: [p.in_region(units.get(p.product_id, 0)) for p in listed] for role, listed in shared.by_role.items()}
    selection = k.kit_select(form.requirement(), parts, form.overrides())
    return kit_signature(selection.kit), selection.problem


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="generated products beside the demo (100000)")
    parser.add_argument("--rounds", type=int, default=200, help="configurations to time, each of other answers (200)")
    parser.add_argument("--pages", type=int, default=50, help="whole pages to time (50)")
    parser.add_argument("--profile", action="store_true", help="print where a configuration's time goes")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        print("configurator bench needs PostgreSQL: set DATABASE_URL (.ci/with-services starts a throwaway one)")
        return 2
    call_command("migrate", verbosity=0)
    from catalog.models import Product, ProductAttributeValue
    from configurator.forms import ConfiguratorForm
    from configurator.selectors import ROLE_ATTRIBUTE, configuration_result
    from core.models import Region

    if Product.objects.filter(sku__startswith="LT-").count() < args.products:
        seed(args.products)
    spread = figures_spread()
    if spread:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    parts = ProductAttributeValue.objects.filter(attribute__slug=ROLE_ATTRIBUTE).count()
    print(f"products: {Product.objects.count()}, CCTV parts: {parts} ({spread} given figures now)")

    region_ids = list(Region.objects.filter(code__in=["77", "78"]).order_by("code").values_list("pk", flat=True))
    rng = random.Random(26)
    forms = []
    while len(forms) < args.rounds:
        form = ConfiguratorForm(answers_vary(rng, region_ids))
        if form.is_valid():
            forms.append(form)

    def configure(form):
        return configuration_result(
            requirement=form.requirement(), overrides=form.overrides(), region_id=form.cleaned_data["region"].pk
        )

    started = time.perf_counter()
    configure(forms[0])  # builds the shared figures once, as the first request after an edit does
    print(f"shared figures built in {(time.perf_counter() - started) * 1000:.0f} ms (once per catalogue edit)")

    kit_ms, cpu_ms, query_counts, passing, differ = [], [], set(), 0, []
    for form in forms:
        with CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.process_time()
            result = configure(form)
            kit_ms.append((time.perf_counter() - began) * 1000)
            cpu_ms.append((time.process_time() - began_cpu) * 1000)
        query_counts.add(len(captured))
        passing += bool(result.kit and result.kit.ok)
        again = configure(form)
        if kit_signature(again.kit) != kit_signature(result.kit):
            differ.append(("again", form.answers()))
        full = full_search(form)
        if (kit_signature(result.kit), result.selection.problem) != full:
            here = (kit_signature(result.kit), result.selection.problem)
            why = f"full search: {'passing' if full[1] == '' else 'failing'} kit, here {here}, there {full}"
            differ.append((why, form.answers()))

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        for form in forms[:20]:
            profiler.runcall(configure, form)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

    client = Client(HTTP_HOST="127.0.0.1")
    page_ms = []
    for form in forms[: args.pages]:
        began = time.perf_counter()
        response = client.get("/configurator/", form.data)
        page_ms.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            print(f"page answered {response.status_code}")
            return 1

    kit_p50, kit_p95 = statistics.median(kit_ms), percentile(kit_ms, 0.95)
    print(f"configurations: {len(forms)} answers, {passing} with every check green")
    print(
        f"kit (configuration_result): p50 {kit_p50:.1f} ms, p95 {kit_p95:.1f} ms, max {max(kit_ms):.1f} ms; "
        f"queries {'/'.join(map(str, sorted(query_counts)))}"
    )
    print(
        f"kit, CPU of this process (without PostgreSQL's): p50 {statistics.median(cpu_ms):.1f} ms, "
        f"p95 {percentile(cpu_ms, 0.95):.1f} ms; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"whole page (in-process client, no network): p50 {statistics.median(page_ms):.1f} ms, "
        f"p95 {percentile(page_ms, 0.95):.1f} ms ({len(page_ms)} pages)"
    )
    print(f"same kit again and as the full search: {len(forms) - len(differ)} of {len(forms)}")
    for why, answers in differ[:5]:
        print(f"  differs ({why}): {answers}")
    fixed = max(query_counts) <= QUERY_BUDGET
    verdict = "PASS" if kit_p95 < AIM_MS and fixed and not differ else "FAIL"
    print(
        f"aim: a kit in under {AIM_MS:.0f} ms (p95), at most {QUERY_BUDGET} queries, the same kit as the full search: "
        f"{verdict}"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
