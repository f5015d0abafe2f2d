"""A load-test catalog: many generated products over the demo subcategories, written in bulk."""

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog import changes
from catalog.importing import slugify_ru
from catalog.models import (
    Attribute,
    Brand,
    Category,
    ObjectType,
    Product,
    ProductAttributeValue,
    ProductImage,
    Stock,
    Warehouse,
)
from catalog.services import catalog_changed, product_refresh_search
from demo.data import KIT_PARENT, OBJECT_CODES, SERVICE_PARENT, SUBCATEGORIES, Sub
from demo.products import PRODUCTS

SKU_PREFIX = "LT-"
BATCH = 2000
DATE_GROUPS = 16  # distinct creation dates per batch, so that sorting by novelty has something to sort


class _Template:
    """What a generated product of one subcategory may look like, learnt from its demo products."""

    def __init__(self, sub: Sub, category_id: int, brand_ids: dict[str, int], images: list[str]):
        items = PRODUCTS[sub.slug]
        self.sub = sub
        self.category_id = category_id
        self.brands = [(name, brand_ids[name]) for name in dict.fromkeys(i.brand for i in items if i.brand)]
        self.price_low = min(i.price for i in items)
        self.price_high = max(i.price for i in items)
        values: dict[str, set[str]] = defaultdict(set)
        for item in items:
            for slug, value in {**sub.defaults, **item.attrs}.items():
                values[slug].add(value)
        self.values = {slug: sorted(options) for slug, options in values.items()}
        self.objects = sorted({letter for item in items for letter in item.objects})
        self.images = images


def _templates() -> list[_Template]:
    categories = dict(Category.objects.values_list("slug", "pk"))
    brand_ids = {name: pk for pk, name in Brand.objects.values_list("pk", "name")}
    templates = []
    for sub in SUBCATEGORIES:
        if sub.parent in (KIT_PARENT, SERVICE_PARENT) or sub.slug not in categories:
            continue
        demo_skus = [item.sku for item in PRODUCTS[sub.slug]]
        images = list(
            ProductImage.objects.filter(product__sku__in=demo_skus)
            .order_by("product__popularity", "position")
            .values_list("image", flat=True)[:6]
        )
        templates.append(_Template(sub, categories[sub.slug], brand_ids, images))
    return templates


def _price(rng: random.Random, template: _Template) -> Decimal:
    value = rng.uniform(template.price_low * 0.7, template.price_high * 1.3)
    return Decimal(max(90, int(value) // 100 * 100 + 90))


def demo_load_test_seed(
    *, count: int, progress: Callable[[int], None] | None = None, log: Callable[[str], None] | None = None
) -> int:
    """Make sure `count` load-test products (SKU LT-000001…) exist; return how many were created."""
    templates = _templates()
    if not templates:
        raise RuntimeError("No demo subcategories: load the demo catalog first.")
    attributes = dict(Attribute.objects.values_list("slug", "pk"))
    warehouses = list(Warehouse.objects.filter(code__in=["msk", "spb"]).order_by("code"))
    object_types = dict(ObjectType.objects.values_list("slug", "pk"))
    existing = set(Product.objects.filter(sku__startswith=SKU_PREFIX).values_list("sku", flat=True))
    numbers = [n for n in range(1, count + 1) if f"{SKU_PREFIX}{n:06d}" not in existing]
    if progress and len(numbers) < count:
        progress(count - len(numbers))
    now = timezone.now()
    through = Product.object_types.through
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        rng = random.Random(chunk[0])
        with transaction.atomic():
            plans = [_plan(rng, n, templates[n % len(templates)]) for n in chunk]
            products = Product.objects.bulk_create([plan[0] for plan in plans], batch_size=500)
            values, stocks, images, links = [], [], [], []
            for product, (_p, template, attrs, objects) in zip(products, plans, strict=True):
                values += [
                    ProductAttributeValue(product_id=product.pk, attribute_id=attributes[slug], value=value)
                    for slug, value in attrs.items()
                    if slug in attributes
                ]
                stocks += _stocks(rng, product, warehouses)
                if template.images:
                    images.append(
                        ProductImage(product_id=product.pk, image=rng.choice(template.images), alt=product.name)
                    )
                links += [through(product_id=product.pk, objecttype_id=object_types[o]) for o in objects]
            ProductAttributeValue.objects.bulk_create(values, batch_size=1000)
            Stock.objects.bulk_create(stocks, batch_size=1000)
            ProductImage.objects.bulk_create(images, batch_size=1000)
            with changes.sanctioned():  # an auto-created through model has Django's manager; retired below
                through.objects.bulk_create(links, batch_size=1000)
            _spread_dates(rng, [p.pk for p in products], now)
        if progress:
            progress(len(chunk))
    if numbers:
        if log:
            log("Обновляю поисковый индекс всего каталога…")
        product_refresh_search()
        catalog_changed()
    return len(numbers)


def _plan(rng: random.Random, number: int, template: _Template):
    brand_name, brand_id = rng.choice(template.brands)
    attrs = {slug: rng.choice(options) for slug, options in template.values.items()}
    details = [
        f"{attrs[slug]} {unit}".strip()
        for slug, unit in (("resolution", "Мп"), ("channels", "кан."), ("protocol", ""))
        if slug in attrs
    ][:2]
    name = f"{template.sub.noun} {brand_name} {brand_name[:2].upper()}-{number:06d}"
    if details:
        name += ", " + ", ".join(details)
    price = _price(rng, template)
    old_price = (price * Decimal("1.12")).quantize(Decimal(1)) if rng.random() < 0.2 else None
    length, width, height = (round(v * rng.uniform(0.85, 1.15)) for v in template.sub.size)
    letter = rng.random()
    product = Product(
        sku=f"{SKU_PREFIX}{number:06d}",
        name=name,
        slug=f"{slugify_ru(name)[:200]}-lt{number}",
        category_id=template.category_id,
        brand_id=brand_id,
        description=f"{template.sub.description} Товар нагрузочного каталога №{number}.",
        price=price,
        old_price=old_price,
        warranty_months=rng.choice([12, 24, 36]),
        weight_kg=Decimal(f"{rng.uniform(*template.sub.weight):.3f}"),
        length_mm=length,
        width_mm=width,
        height_mm=height,
        backorder_days=rng.choice([5, 7, 14]) if letter < 0.15 else None,
        popularity=int(rng.paretovariate(1.5) * 10),
    )
    objects = rng.sample([OBJECT_CODES[o] for o in template.objects], k=rng.randint(1, len(template.objects)))
    return product, template, attrs, objects


def _stocks(rng: random.Random, product: Product, warehouses: list[Warehouse]) -> list[Stock]:
    roll = rng.random()
    stocks = []
    for warehouse in warehouses:
        if roll < 0.65:
            quantity = rng.randint(0, 80)
        elif roll < 0.8:
            quantity = rng.randint(0, 2)
        else:
            quantity = 0
        stocks.append(Stock(product_id=product.pk, warehouse=warehouse, quantity=quantity))
    return stocks


def _spread_dates(rng: random.Random, ids: list[int], now) -> None:
    """Give the batch a handful of creation dates over the past year (bulk_create stamps them all now)."""
    groups = DATE_GROUPS
    for index in range(groups):
        group = ids[index::groups]
        if group:
            moment = now - timedelta(days=rng.randint(0, 365), minutes=rng.randint(0, 1440))
            Product.objects.filter(pk__in=group).update(created_at=moment)
