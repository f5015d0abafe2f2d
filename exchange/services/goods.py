"""import.xml: groups become categories, properties attributes, goods products; each write only when it changes
something, so a second identical import writes nothing."""

import re
from decimal import Decimal

from django.core.files import File

from catalog.importing import slugify_ru
from catalog.models import Attribute, Category, Product, ProductAttributeValue, ProductImage
from catalog.services import product_images_store_thumbnails, products_set_active
from core.vat import VatRate
from exchange.commerceml import Good, Group, Property, number
from exchange.exceptions import ExchangeRefused
from exchange.models import DirectoryValue, ExchangePicture, SeenGood, Withdrawal, WithdrawalReason
from exchange.services.context import Context
from exchange.services.files import file_path

# A product made from import.xml waits off sale for its retail price from offers.xml; the database wants one.
PLACEHOLDER_PRICE = Decimal("0.01")
# What the search text and vector are built from (catalog.services.product_refresh_search).
SEARCHED_FIELDS = {"name", "description", "brand_id", "category_id"}
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_VAT = {
    "22": VatRate.VAT_22,
    "10": VatRate.VAT_10,
    "7": VatRate.VAT_7,
    "5": VatRate.VAT_5,
    "0": VatRate.VAT_0,
    "без ндс": VatRate.NO_VAT,
    "без налога": VatRate.NO_VAT,
    "ндс не облагается": VatRate.NO_VAT,
}


def _unique_slug(model, text: str, *, limit: int, field: str = "slug") -> str:
    slug = base = slugify_ru(text)[: limit - 10].strip("-") or "item"
    suffix = 2
    while model.objects.filter(**{field: slug}).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def groups_apply(groups: list[Group], ctx: Context) -> None:
    """Create the categories of new groups (under their parent or «Из 1С»); rename only those staff never renamed."""
    known = {c.external_id: c for c in Category.objects.filter(external_id__in=[g.id for g in groups])}
    for group in groups:
        name = group.name[:100] or group.id[:100]
        category = known.get(group.id)
        if category is None:
            parent = ctx.categories.get(group.parent_id) if group.parent_id else None
            category = Category.objects.create(
                name=name,
                external_name=name,
                external_id=group.id,
                slug=_unique_slug(Category, name, limit=100),
                parent_id=parent or ctx.root_category(),
            )
        elif category.external_name != name:
            # A name staff changed (it differs from what 1C sent last time) stays theirs.
            fields = {"external_name": name}
            if category.name == category.external_name:
                fields["name"] = name
            Category.objects.filter(pk=category.pk).update(**fields)
        ctx.categories[group.id] = category.pk


def property_apply(prop: Property, ctx: Context) -> None:
    """Match a property to an attribute (by Ид, then by name) and store its directory values."""
    if not prop.id:
        return
    attribute = Attribute.objects.filter(external_id=prop.id).first()
    if attribute is None:
        attribute = Attribute.objects.filter(name__iexact=prop.name[:100], external_id__isnull=True).first()
        if attribute is not None:
            Attribute.objects.filter(pk=attribute.pk).update(external_id=prop.id)
        else:
            attribute = Attribute.objects.create(
                name=prop.name[:100] or prop.id[:100],
                slug=_unique_slug(Attribute, prop.name or prop.id, limit=50),
                external_id=prop.id,
            )
    ctx.attributes[prop.id] = (attribute.pk, prop.kind)
    known = {v.external_id: v for v in DirectoryValue.objects.filter(attribute=attribute)}
    for value_id, value in prop.values.items():
        current = known.get(value_id)
        if current is None:
            DirectoryValue.objects.create(attribute=attribute, external_id=value_id[:80], value=value[:100])
        elif current.value != value[:100]:
            DirectoryValue.objects.filter(pk=current.pk).update(value=value[:100])
        ctx.directory[(attribute.pk, value_id)] = value[:100]


def _vat(good: Good, ctx: Context) -> str | None:
    raw = good.vat.lower().replace("%", "").strip()
    if not raw:
        return None
    if raw in _VAT:
        return _VAT[raw]
    ctx.note(f"Товар {good.id}: ставка НДС «{good.vat}» не поддерживается, оставлена прежняя", good.line)
    return None


def _attribute_values(good: Good, ctx: Context) -> dict[int, str]:
    values: dict[int, str] = {}
    for prop_id, raw in good.properties:
        if prop_id not in ctx.attributes:
            continue  # a property of 1C the classifier did not describe (often 1C's own service fields)
        attribute_id, _ = ctx.attributes[prop_id]
        value = ctx.directory.get((attribute_id, raw), raw)
        if value and _NUMBER.match(value):
            value = format(number(value).normalize(), "f")
        if value and attribute_id not in values:
            values[attribute_id] = value[:100]
    return values


def _desired(good: Good, ctx: Context, product: Product | None) -> dict:
    fields = {
        "name": good.name[:255],
        "description": good.description,
        "barcode": good.barcode[:64],
        "unit": good.unit[:20],
        "is_service": good.is_service,
        "external_id": good.id,
    }
    if good.group_id in ctx.categories:
        fields["category_id"] = ctx.categories[good.group_id]
    elif product is None:
        fields["category_id"] = ctx.root_category()
    if good.brand:
        fields["brand_id"] = ctx.brand(good.brand)
    if (vat := _vat(good, ctx)) is not None:
        fields["vat_rate"] = vat
    return fields


def _new_products(pending: list[tuple[Good, dict]]) -> dict[str, Product]:
    """Create the batch's new products at once: off sale until their first retail price comes."""
    wanted_skus = [g.sku[:64] for g, _ in pending if g.sku]
    taken_skus = set(Product.objects.filter(sku__in=wanted_skus).values_list("sku", flat=True))
    bases = {g.id: slugify_ru(f["name"])[:240].strip("-") or "item" for g, f in pending}
    taken_slugs = set(Product.objects.filter(slug__in=list(bases.values())).values_list("slug", flat=True))
    products = []
    for good, fields in pending:
        sku = good.sku[:64] if good.sku and good.sku[:64] not in taken_skus else f"1C-{good.id.replace('-', '')}"[:64]
        taken_skus.add(sku)
        slug = bases[good.id]
        if slug in taken_slugs:
            slug = _unique_slug(Product, f"{bases[good.id][:200]}-{sku}", limit=255)
        taken_slugs.add(slug)
        products.append(Product(sku=sku, slug=slug, price=PLACEHOLDER_PRICE, is_active=False, **fields))
    Product.objects.bulk_create(products)
    Withdrawal.objects.bulk_create(Withdrawal(product=p, reason=WithdrawalReason.NO_PRICE) for p in products)
    return {p.external_id: p for p in products}


def goods_apply(goods: list[Good], ctx: Context) -> None:
    """Create or update the products of a batch of goods; everything unchanged is left untouched."""
    goods = [g for g in goods if g.id]
    by_id = {p.external_id: p for p in Product.objects.filter(external_id__in=[g.id for g in goods])}
    skus = [g.sku[:64] for g in goods if g.id not in by_id and g.sku]
    by_sku = {p.sku: p for p in Product.objects.filter(sku__in=skus, external_id__isnull=True)}
    products: dict[str, Product] = {}
    pending: dict[str, tuple[Good, dict]] = {}
    deleted: list[int] = []
    for good in goods:
        product = by_id.get(good.id) or by_sku.get(good.sku[:64])
        if good.deleted:
            if product is not None:
                deleted.append(product.pk)
            continue
        fields = _desired(good, ctx, product)
        if not fields["name"]:
            ctx.note(f"Товар {good.id}: нет наименования", good.line)
            continue
        if product is None:
            pending[good.id] = (good, fields)  # a good twice in a batch: the last one counts
            continue
        changed = [name for name, value in fields.items() if getattr(product, name) != value]
        if changed:
            for name in changed:
                setattr(product, name, fields[name])
            product.save(update_fields=[*changed, "updated_at"])
            ctx.report.updated += 1
            ctx.report.changed_products.add(product.pk)
            if set(changed) & SEARCHED_FIELDS:
                ctx.report.searched_products.add(product.pk)
        products[good.id] = product
    if pending:
        created = _new_products(list(pending.values()))
        products.update(created)
        ctx.report.created += len(created)
        ctx.report.changed_products.update(p.pk for p in created.values())
        ctx.report.searched_products.update(p.pk for p in created.values())
    _values_apply(goods, products, ctx)
    _pictures_apply(goods, products, ctx)
    _withdrawals_clear(products, ctx)
    if deleted:
        _withdraw_deleted(deleted, ctx)
    if ctx.full_unload:
        SeenGood.objects.bulk_create(
            [SeenGood(session=ctx.session, product_id=p.pk) for p in products.values()], ignore_conflicts=True
        )


def _values_apply(goods: list[Good], products: dict[str, Product], ctx: Context) -> None:
    from_1c = {pk for pk, _ in ctx.attributes.values()}
    ids = [p.pk for p in products.values()]
    current: dict[tuple[int, int], ProductAttributeValue] = {
        (v.product_id, v.attribute_id): v
        for v in ProductAttributeValue.objects.filter(product_id__in=ids, attribute_id__in=from_1c)
    }
    by_product: dict[int, list[ProductAttributeValue]] = {}
    for row in current.values():
        by_product.setdefault(row.product_id, []).append(row)
    create, update, delete = [], [], []
    for good in goods:
        product = products.get(good.id)
        if product is None:
            continue
        wanted = _attribute_values(good, ctx)
        touched = False
        for attribute_id, value in wanted.items():
            row = current.get((product.pk, attribute_id))
            if row is None:
                create.append(ProductAttributeValue(product_id=product.pk, attribute_id=attribute_id, value=value))
                touched = True
            elif row.value != value:
                row.value = value
                update.append(row)
                touched = True
        if good.properties:  # a good that lists its properties drops the 1C ones it no longer has
            gone = [row.pk for row in by_product.get(product.pk, []) if row.attribute_id not in wanted]
            delete.extend(gone)
            touched = touched or bool(gone)
        if touched:
            ctx.report.changed_products.add(product.pk)
            ctx.report.searched_products.add(product.pk)
    ProductAttributeValue.objects.bulk_create(create)
    ProductAttributeValue.objects.bulk_update(update, ["value"])
    if delete:
        ProductAttributeValue.objects.filter(pk__in=delete).delete()


def _pictures_apply(goods: list[Good], products: dict[str, Product], ctx: Context) -> None:
    wanted = {(products[g.id].pk, p) for g in goods if g.id in products for p in g.pictures}
    if not wanted:
        return
    known = set(
        ExchangePicture.objects.filter(product_id__in={pk for pk, _ in wanted}).values_list("product_id", "source")
    )
    lines = {g.id: g.line for g in goods}
    pictured: set[int] = set()
    for good in goods:
        product = products.get(good.id)
        for position, source in enumerate(good.pictures if product else []):
            if (product.pk, source[:255]) in known:
                continue
            try:
                path = file_path(ctx.session, source)
            except ExchangeRefused as refused:
                ctx.note(f"Картинка «{source}»: {refused.message}", lines[good.id])
                continue
            if not path.is_file():
                ctx.note(f"Картинка «{source}» не найдена в архиве", lines[good.id])
                continue
            with open(path, "rb") as handle:
                image = ProductImage(product=product, alt=product.name[:255], position=position)
                image.image.save(path.name, File(handle), save=True)
            ExchangePicture.objects.create(image=image, product=product, source=source[:255])
            ctx.report.changed_products.add(product.pk)
            pictured.add(product.pk)
    if pictured:
        product_images_store_thumbnails(product_ids=pictured)


def _withdrawals_clear(products: dict[str, Product], ctx: Context) -> None:
    """A good back in the unload loses that reason to stay off sale, and goes on sale when none is left."""
    ids = [p.pk for p in products.values()]
    back = list(
        Withdrawal.objects.filter(product_id__in=ids, reason=WithdrawalReason.NOT_IN_UNLOAD).values_list(
            "product_id", flat=True
        )
    )
    if not back:
        return
    Withdrawal.objects.filter(product_id__in=back, reason=WithdrawalReason.NOT_IN_UNLOAD).delete()
    still = set(Withdrawal.objects.filter(product_id__in=back).values_list("product_id", flat=True))
    ready = [pk for pk in back if pk not in still]
    Product.objects.filter(pk__in=ready, is_active=False).update(is_active=True)
    ctx.report.changed_products.update(ready)


def _withdraw_deleted(product_ids: list[int], ctx: Context) -> None:
    """Goods 1C marked for deletion go off sale (never deleted: orders keep their snapshots)."""
    Withdrawal.objects.bulk_create(
        [Withdrawal(product_id=pk, reason=WithdrawalReason.NOT_IN_UNLOAD, session=ctx.session) for pk in product_ids],
        ignore_conflicts=True,
    )
    ctx.report.withdrawn += products_set_active(product_ids=product_ids, is_active=False)
