"""Time the configurator on a large catalogue: the kit for the starting object, and the whole page."""

import random
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.models import Attribute, Product, ProductAttributeValue
from configurator.forms import ConfiguratorForm, default_answers
from configurator.selectors import ROLE_ATTRIBUTE, configuration_result
from core.models import Region
from demo.cctv import demo_cctv_seed
from demo.loadtest import SKU_PREFIX, demo_load_test_seed
from demo.seed import demo_catalog_seed

CCTV_CATEGORIES = ["ip-kamery", "analogovye-kamery", "videoregistratory"]


class Command(BaseCommand):
    help = (
        "Замерить конфигуратор видеонаблюдения на большом каталоге: время подбора комплекта и страницы, "
        "число запросов. Дополняет базу демо-каталогом и нагрузочными товарами."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=100_000, help="товаров в нагрузочном каталоге")
        parser.add_argument("--rounds", type=int, default=20, help="замеров каждого вида")
        parser.add_argument("--profile", action="store_true", help="показать, на что уходит время подбора")

    def handle(self, *args, products: int, rounds: int, **options):
        if not settings.SHOP_DEMO_DATA_ALLOWED:
            raise CommandError("Замер заполняет базу демо-данными: не в рабочей базе (SHOP_DEMO_DATA_ALLOWED=false).")
        started = time.monotonic()
        if not Product.objects.filter(sku="HW-DS-I456Z").exists():
            demo_catalog_seed(images=False)
            demo_cctv_seed(images=False)
        demo_load_test_seed(count=products)
        figured = _figures_spread()
        total = Product.objects.count()
        parts = ProductAttributeValue.objects.filter(attribute__slug=ROLE_ATTRIBUTE).count()
        self.stdout.write(
            f"Каталог: {total} товаров, из них с ролью в видеонаблюдении {parts} (новых {figured}); "
            f"подготовка {time.monotonic() - started:.0f} с."
        )
        answers = default_answers(region_id=Region.objects.get(code="77").pk)
        form = ConfiguratorForm(answers)
        if not form.is_valid():
            raise CommandError(f"Ответы не прошли проверку: {form.errors.as_text()}")
        kit_ms, queries = [], 0
        for _ in range(rounds + 1):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                result = configuration_result(
                    requirement=form.requirement(), overrides=form.overrides(), region_id=answers_region(answers)
                )
                kit_ms.append((time.perf_counter() - began) * 1000)
            queries = len(captured)
        kit_ms = kit_ms[1:]  # the first round warms the connection and Python's caches
        if options.get("profile"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(
                configuration_result,
                requirement=form.requirement(),
                overrides=form.overrides(),
                region_id=answers_region(answers),
            )
            pstats.Stats(profiler, stream=self.stdout).sort_stats("cumulative").print_stats(25)
        client = Client(HTTP_HOST="127.0.0.1")
        page_ms = []
        for _ in range(rounds + 1):
            began = time.perf_counter()
            response = client.get("/configurator/", answers)
            page_ms.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise CommandError(f"Страница ответила {response.status_code}")
        page_ms = page_ms[1:]
        self.stdout.write(
            f"Комплект: {'все проверки пройдены' if result.kit and result.kit.ok else 'НЕ собран'}, "
            f"{result.kit.total if result.kit else 0} ₽."
        )
        self.stdout.write(_line("подбор комплекта", kit_ms) + f", запросов {queries}")
        self.stdout.write(_line("страница целиком (в процессе, без сети)", page_ms))


def answers_region(answers: dict) -> int:
    return int(answers["region"])


def _line(what: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{what}: медиана {statistics.median(ordered):.1f} мс, p95 {p95:.1f} мс ({len(ordered)} замеров)"


def _figures_spread() -> int:
    """Give generated cameras and recorders the CCTV figures of a demo product of their category, so the
    configurator has thousands of candidates to narrow, as a real catalogue would."""
    templates: dict[int, list[list[tuple[int, str]]]] = {}
    demo = Product.objects.filter(category__slug__in=CCTV_CATEGORIES, attribute_values__attribute__slug=ROLE_ATTRIBUTE)
    for product in demo.exclude(sku__startswith=SKU_PREFIX).prefetch_related("attribute_values"):
        values = [(v.attribute_id, v.value) for v in product.attribute_values.all()]
        templates.setdefault(product.category_id, []).append(values)
    role = Attribute.objects.get(slug=ROLE_ATTRIBUTE)
    generated = (
        Product.objects.filter(sku__startswith=SKU_PREFIX, category_id__in=list(templates))
        .exclude(attribute_values__attribute=role)
        .values_list("pk", "category_id")
    )
    rng = random.Random(26)
    rows = []
    for product_id, category_id in generated.iterator():
        for attribute_id, value in rng.choice(templates[category_id]):
            rows.append(ProductAttributeValue(product_id=product_id, attribute_id=attribute_id, value=value))
    ProductAttributeValue.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len({row.product_id for row in rows})
