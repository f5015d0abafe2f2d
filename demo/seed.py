"""Load the demo catalog: categories, filters, brands, products with pictures, kits, stock and demo users."""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from catalog.data.reference import TOP_CATEGORIES
from catalog.importing import slugify_ru
from catalog.models import (
    Attribute,
    Brand,
    Category,
    KitComponent,
    ObjectType,
    Product,
    ProductAttributeValue,
    ProductImage,
    Stock,
    Warehouse,
)
from catalog.services import catalog_changed, product_refresh_search
from core.models import Region
from core.money import format_rub
from demo.data import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ATTRIBUTES,
    BRANDS,
    CUSTOMER_EMAIL,
    CUSTOMER_PASSWORD,
    CUSTOMER_PHONE,
    OBJECT_CODES,
    SERVICE_PARENT,
    SUBCATEGORIES,
    TOP_DESCRIPTIONS,
    WAREHOUSES,
    Sub,
)
from demo.images import product_picture
from demo.products import KITS, PRODUCTS, Item, Kit

# One letter per product in catalog order: В наличии, Мало, Под заказ, Нет в наличии.
STOCK_PATTERN = "IIILIIBIIOIILIIIBIIO"
BRAND_WARRANTY = {name: months for name, _slug, _country, months in BRANDS}
SERVICE_WARRANTY = 12


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    images: int = 0


@dataclass
class _Context:
    attributes: dict[str, Attribute]
    brands: dict[str, Brand]
    categories: dict[str, Category]
    warehouses: list[Warehouse]
    object_types: dict[str, ObjectType]
    result: SeedResult
    now: object
    shapes: dict[str, str] = field(default_factory=dict)  # sku → picture shape, for kits to show


def demo_catalog_seed(*, images: bool = True) -> SeedResult:
    """Create or refresh the demo catalog; running it again changes nothing that is already there."""
    result = SeedResult()
    with transaction.atomic():
        attributes = _attributes_ensure()
        ctx = _Context(
            attributes=attributes,
            brands=_brands_ensure(),
            categories=_categories_ensure(attributes),
            warehouses=_warehouses_ensure(),
            object_types={o.slug: o for o in ObjectType.objects.all()},
            result=result,
            now=timezone.now(),
        )
        by_sku: dict[str, Product] = {}
        index = 0
        for sub in SUBCATEGORIES:
            for item in PRODUCTS.get(sub.slug, []):
                by_sku[item.sku] = _item_save(ctx, sub, item, index, images=images)
                index += 1
        subs = {sub.slug: sub for sub in SUBCATEGORIES}
        for kit in KITS:
            _kit_save(ctx, subs[kit.category], kit, by_sku, index, images=images)
            index += 1
        product_refresh_search(product_ids=[p.pk for p in Product.objects.filter(sku__in=_demo_skus())])
    catalog_changed()
    return result


def demo_users_ensure() -> None:
    """Create the demo administrator and customer unless they exist; never reset a changed password."""
    user_model = get_user_model()
    if not user_model.objects.filter(email=ADMIN_EMAIL).exists():
        user_model.objects.create_superuser(
            email=ADMIN_EMAIL, password=ADMIN_PASSWORD, first_name="Администратор", last_name="Демо"
        )
    if not user_model.objects.filter(email=CUSTOMER_EMAIL).exists():
        phone = None if user_model.objects.filter(phone=CUSTOMER_PHONE).exists() else CUSTOMER_PHONE
        customer = user_model.objects.create_user(
            email=CUSTOMER_EMAIL,
            password=CUSTOMER_PASSWORD,
            phone=phone,
            first_name="Иван",
            last_name="Петров",
            region=Region.objects.filter(code="77").first(),
            object_type=ObjectType.objects.filter(slug="apartment").first(),
        )
        # A flat with an interest in CCTV: the home page recommends apartment CCTV kits first.
        customer.interests.set(Category.objects.filter(slug="videonablyudenie"))


def demo_admin_login_line() -> str:
    """The line `make run` prints: the demo administrator's login, if that account still opens with it."""
    admin = get_user_model().objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        return "Демо-администратор не создан: каталог уже был заполнен."
    if admin.check_password(ADMIN_PASSWORD):
        return f"Демо-администратор: {ADMIN_EMAIL} / {ADMIN_PASSWORD}"
    return f"Демо-администратор: {ADMIN_EMAIL} (пароль изменён)"


def demo_customer_login_line() -> str:
    """The line `make run` prints beside the administrator's: the demo customer's login, if it still opens."""
    customer = get_user_model().objects.filter(email=CUSTOMER_EMAIL).first()
    if customer is None:
        return "Демо-покупатель не создан: каталог уже был заполнен."
    if customer.check_password(CUSTOMER_PASSWORD):
        return f"Демо-покупатель: {CUSTOMER_EMAIL} / {CUSTOMER_PASSWORD}"
    return f"Демо-покупатель: {CUSTOMER_EMAIL} (пароль изменён)"


def _demo_skus() -> list[str]:
    return [item.sku for items in PRODUCTS.values() for item in items] + [kit.sku for kit in KITS]


# --- Reference data -------------------------------------------------------------------------


def _attributes_ensure() -> dict[str, Attribute]:
    attributes = {}
    for position, (slug, name, unit) in enumerate(ATTRIBUTES):
        attributes[slug], _ = Attribute.objects.update_or_create(
            slug=slug, defaults={"name": name, "unit": unit, "position": position}
        )
    return attributes


def _brands_ensure() -> dict[str, Brand]:
    brands = {}
    for name, slug, country, _warranty in BRANDS:
        brand = Brand.objects.filter(name__iexact=name).first() or Brand(slug=slug)
        brand.name, brand.country = name, country
        brand.save()
        brands[name] = brand
    return brands


def _categories_ensure(attributes: dict[str, Attribute]) -> dict[str, Category]:
    categories = {}
    for position, (slug, name, icon) in enumerate(TOP_CATEGORIES):
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "icon": icon,
                "position": position,
                "parent": None,
                "description": TOP_DESCRIPTIONS[slug],
            },
        )
    for position, sub in enumerate(SUBCATEGORIES):
        category, _ = Category.objects.update_or_create(
            slug=sub.slug,
            defaults={
                "name": sub.name,
                "parent": categories[sub.parent],
                "icon": sub.icon,
                "position": position,
                "description": sub.description,
                "is_active": True,
            },
        )
        category.filter_attributes.set([attributes[slug] for slug in sub.attributes])
        categories[sub.slug] = category
    return categories


def _warehouses_ensure() -> list[Warehouse]:
    warehouses = []
    for code, name, city, address, region_codes in WAREHOUSES:
        warehouse, _ = Warehouse.objects.update_or_create(
            code=code, defaults={"name": name, "city": city, "address": address, "is_active": True}
        )
        warehouse.regions.set(Region.objects.filter(code__in=region_codes))
        warehouses.append(warehouse)
    return warehouses


# --- Products -------------------------------------------------------------------------------


def _size(rng: random.Random, size: tuple[int, int, int] | None) -> tuple[int | None, ...]:
    if size is None:
        return (None, None, None)
    return tuple(round(value * rng.uniform(0.9, 1.1)) for value in size)


def _shape(sub: Sub, item: Item) -> str:
    if item.shape:
        return item.shape
    housing = item.attrs.get("housing", "")
    if housing == "купольная":
        return "dome"
    if housing == "поворотная":
        return "ptz"
    return sub.shape


def _describe(sub: Sub, item: Item, warranty: int) -> str:
    parts = [item.note, sub.description]
    if sub.parent == SERVICE_PARENT:
        parts.append("Цена за единицу работ; точную смету инженер согласует с вами до начала работ.")
    else:
        parts.append(f"Официальная гарантия {item.brand} — {warranty} мес. Отгрузка со складов в Москве и Петербурге.")
    return "\n\n".join(p for p in parts if p)


def _product_upsert(ctx: _Context, *, sku: str, name: str, fields: dict) -> Product:
    slug = slugify_ru(name)[:240]
    if Product.objects.filter(slug=slug).exclude(sku=sku).exists():
        slug = f"{slug}-{slugify_ru(sku)}"[:255]
    product, created = Product.objects.update_or_create(sku=sku, defaults={"name": name, "slug": slug, **fields})
    if created:
        ctx.result.created += 1
    else:
        ctx.result.updated += 1
    return product


def _stock_plan(rng: random.Random, index: int, service: bool) -> tuple[list[int], int | None]:
    """Quantities on hand per warehouse and the backorder days for the product's letter.

    Nothing is reserved here: a reserved unit exists only with its reservation, made by a demo order.
    """
    if service:
        return [0, 0], rng.choice([1, 2, 3])
    letter = STOCK_PATTERN[index % len(STOCK_PATTERN)]
    if letter == "I":
        # The draw that once set a reserved count, kept so every later figure of the demo stays the same.
        rng.choice([0, 0, 0, 1, 2])
        return [rng.randint(10, 120), rng.choice([0, rng.randint(3, 60)])], rng.choice([None, 7])
    if letter == "L":
        total = rng.randint(1, 5)
        moscow = rng.randint(0, total)
        return [moscow, total - moscow], None
    if letter == "B":
        return [0, 0], rng.choice([3, 5, 7, 10, 14])
    return [0, 0], None


def _extras_save(
    ctx: _Context, product: Product, *, rng, index, attrs, objects, service, shape, brand, images, companion=""
):
    """Attributes, object types, stock, creation date and pictures: the parts every demo product has."""
    for slug, value in attrs.items():
        ProductAttributeValue.objects.update_or_create(
            product=product, attribute=ctx.attributes[slug], defaults={"value": value}
        )
    # By attribute id, not slug: a join here makes Django delete through `id IN (subquery)`, which PostgreSQL
    # plans as a nested loop of sequential scans when autovacuum has just recorded the table as empty.
    kept = [ctx.attributes[slug].pk for slug in attrs]
    ProductAttributeValue.objects.filter(product=product).exclude(attribute_id__in=kept).delete()
    product.object_types.set([ctx.object_types[OBJECT_CODES[letter]] for letter in objects])
    plan, backorder_days = _stock_plan(rng, index, service)
    for warehouse, quantity in zip(ctx.warehouses, plan, strict=True):
        Stock.objects.get_or_create(product=product, warehouse=warehouse, defaults={"quantity": quantity})
    Product.objects.filter(pk=product.pk).update(
        backorder_days=backorder_days,
        created_at=ctx.now - timedelta(days=rng.randint(0, 240), minutes=rng.randint(0, 1440)),
    )
    if images and not product.images.exists():
        count = 1 if service or shape == "box" else 1 + (rng.random() < 0.55) + (rng.random() < 0.3)
        for position in range(count):
            data = product_picture(
                shape=shape, brand=brand or "", model=product.name, variant=position, companion=companion
            )
            ProductImage.objects.create(
                product=product,
                image=ContentFile(data, name=f"{product.slug[:80]}-{position + 1}.jpg"),
                alt=product.name if position == 0 else f"{product.name}, фото {position + 1}",
                position=position,
            )
            ctx.result.images += 1


def _item_save(ctx: _Context, sub: Sub, item: Item, index: int, *, images: bool) -> Product:
    rng = random.Random(item.sku)
    service = sub.parent == SERVICE_PARENT
    warranty = SERVICE_WARRANTY if service else BRAND_WARRANTY[item.brand]
    weight = None if sub.weight is None else Decimal(f"{rng.uniform(*sub.weight):.3f}")
    length, width, height = _size(rng, sub.size)
    product = _product_upsert(
        ctx,
        sku=item.sku,
        name=item.name,
        fields={
            "category": ctx.categories[sub.slug],
            "brand": ctx.brands[item.brand] if item.brand else None,
            "description": _describe(sub, item, warranty),
            "price": Decimal(item.price),
            "old_price": Decimal(item.old_price) if item.old_price else None,
            "vat_rate": item.vat,
            "is_service": service,
            "warranty_months": warranty,
            "weight_kg": weight,
            "length_mm": length,
            "width_mm": width,
            "height_mm": height,
            "popularity": rng.randint(3, 950),
            "is_active": True,
        },
    )
    attrs = {k: v for k, v in {**sub.defaults, **item.attrs}.items() if k in ctx.attributes}
    ctx.shapes[item.sku] = _shape(sub, item)
    _extras_save(
        ctx,
        product,
        rng=rng,
        index=index,
        attrs=attrs,
        objects=item.objects,
        service=service,
        shape=ctx.shapes[item.sku],
        brand=item.brand,
        images=images,
    )
    return product


def _kit_save(ctx: _Context, sub: Sub, kit: Kit, by_sku: dict[str, Product], index: int, *, images: bool) -> None:
    rng = random.Random(kit.sku)
    parts = [(by_sku[sku], quantity) for sku, quantity in kit.components]
    total = sum((p.price * quantity for p, quantity in parts), Decimal(0))
    price = (total * Decimal(1 - rng.uniform(0.06, 0.1)) // 100) * 100 - 10
    weight = sum(((p.weight_kg or Decimal(0)) * quantity for p, quantity in parts), Decimal("0.4"))
    lines = "\n".join(f"— {p.name} × {quantity}" for p, quantity in parts)
    description = (
        f"{kit.note}\n\nСостав комплекта:\n{lines}\n\n"
        f"Выгода по сравнению с покупкой по отдельности — {format_rub(total - price)}."
    )
    length, width, height = _size(rng, sub.size)
    product = _product_upsert(
        ctx,
        sku=kit.sku,
        name=kit.name,
        fields={
            "category": ctx.categories[sub.slug],
            "brand": ctx.brands[kit.brand] if kit.brand else None,
            "description": description,
            "price": price,
            "old_price": total,
            "vat_rate": "22",
            "warranty_months": BRAND_WARRANTY.get(kit.brand, 12),
            "weight_kg": weight.quantize(Decimal("0.001")),
            "length_mm": length,
            "width_mm": width,
            "height_mm": height,
            "popularity": rng.randint(200, 1200),
            "is_active": True,
        },
    )
    for part, quantity in parts:
        KitComponent.objects.update_or_create(kit=product, product=part, defaults={"quantity": quantity})
    product.components.exclude(product__in=[p for p, _ in parts]).delete()
    _extras_save(
        ctx,
        product,
        rng=rng,
        index=index,
        attrs=kit.attrs,
        objects=kit.objects,
        service=False,
        shape="box",
        brand=kit.brand,
        images=images,
        companion=ctx.shapes[kit.components[0][0]],
    )
