"""offers.xml (and prices___*, rests___*): price types, warehouses, prices and stock per warehouse, variants."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from catalog.models import Product, Stock, Warehouse
from exchange.commerceml import Offer, Reference
from exchange.models import PriceType, ProductPrice, Withdrawal, WithdrawalReason
from exchange.services.context import Context
from exchange.services.goods import _unique_slug

RETAIL_HINTS = ("розн", "retail")


def price_type_apply(ref: Reference, ctx: Context) -> None:
    """Create or rename a price type; the first one looking retail becomes the shop's while none is chosen."""
    if not ref.id:
        return
    current = ctx.price_types.get(ref.id)
    if current is None:
        retail = not PriceType.objects.filter(is_retail=True).exists() and (
            any(hint in ref.name.lower() for hint in RETAIL_HINTS) or not PriceType.objects.exists()
        )
        current = PriceType.objects.create(
            external_id=ref.id, name=ref.name[:100] or ref.id, currency=ref.currency[:10], is_retail=retail
        )
        ctx.note(f"Новый тип цен «{current.name}»" + (" — розничный" if retail else ""), ref.line, error=False)
    elif current.name != ref.name[:100] and ref.name:
        PriceType.objects.filter(pk=current.pk).update(name=ref.name[:100])
    ctx.price_types[ref.id] = current


def warehouse_apply(ref: Reference, ctx: Context) -> None:
    """A warehouse of 1C the shop does not know is created inactive and named in the log."""
    if not ref.id or ref.id in ctx.warehouses:
        return
    ctx.warehouses[ref.id] = _warehouse_create(ref.id, ref.name, ref.line, ctx)


def _warehouse_create(external_id: str, name: str, line: int | None, ctx: Context) -> int:
    name = (name or f"Склад 1С {external_id[:8]}")[:100]
    code = _unique_slug(Warehouse, f"1c-{name}", limit=30, field="code")
    warehouse = Warehouse.objects.create(code=code, name=name, city="", is_active=False, external_id=external_id)
    ctx.note(f"Новый склад «{name}» создан неактивным: включите его и укажите регионы", line, error=False)
    return warehouse.pk


def _variant_create(offer: Offer, base: Product, ctx: Context) -> Product:
    """An offer with characteristics of a base product becomes a product of its own, linked to it."""
    suffix = ", ".join(f"{name}: {value}" if name else value for name, value in offer.characteristics)
    name = (offer.name or (f"{base.name} ({suffix})" if suffix else base.name))[:255]
    tail = offer.id.partition("#")[2].replace("-", "")[:16]
    sku = (offer.sku or f"{base.sku}-{tail}")[:64]
    if Product.objects.filter(sku=sku).exists():
        sku = f"{base.sku[:40]}-{tail}"[:64]
    variant = Product.objects.create(
        sku=sku,
        slug=_unique_slug(Product, name, limit=255),
        name=name,
        category_id=base.category_id,
        brand_id=base.brand_id,
        description=base.description,
        vat_rate=base.vat_rate,
        unit=base.unit,
        is_service=base.is_service,
        price=base.price,
        is_active=False,
        external_id=offer.id,
        base_product=base,
    )
    Withdrawal.objects.create(product=variant, reason=WithdrawalReason.NO_PRICE)
    ctx.report.searched_products.add(variant.pk)
    ctx.report.created += 1
    return variant


def offers_apply(offers: list[Offer], ctx: Context) -> None:
    """Apply prices and stock of a batch of offers; a value equal to the stored one is not written."""
    ids = {o.id for o in offers} | {o.id.partition("#")[0] for o in offers}
    products = {p.external_id: p for p in Product.objects.filter(external_id__in=ids)}
    for offer in offers:
        if offer.id not in products and "#" in offer.id and offer.id.partition("#")[0] in products:
            products[offer.id] = _variant_create(offer, products[offer.id.partition("#")[0]], ctx)
    found = {o.id: products[o.id] for o in offers if o.id in products}
    for offer in offers:
        if offer.id not in found:
            ctx.note(f"Предложение {offer.id}: товар не найден (его нет в import.xml)", offer.line)
    pks = [p.pk for p in found.values()]
    prices = {(p.product_id, p.price_type_id): p for p in ProductPrice.objects.filter(product_id__in=pks)}
    stocks = {(s.product_id, s.warehouse_id): s for s in Stock.objects.filter(product_id__in=pks)}
    held = {}
    for product_id, reason in Withdrawal.objects.filter(product_id__in=pks).values_list("product_id", "reason"):
        held.setdefault(product_id, set()).add(reason)
    writes = _Writes(held=held)
    for offer in offers:
        product = found.get(offer.id)
        if product is None:
            continue
        if offer.prices is not None:
            _prices_apply(offer, product, prices, ctx, writes)
        _stock_apply(offer, product, stocks, ctx, writes)
    writes.flush()


@dataclass
class _Writes:
    """The rows a batch of offers creates or changes, written together at its end."""

    held: dict[int, set[str]]  # product id → why the exchange keeps it off sale
    prices: list[ProductPrice] = field(default_factory=list)
    stocks: list[Stock] = field(default_factory=list)
    products: dict[int, Product] = field(default_factory=dict)
    priced: list[int] = field(default_factory=list)

    def flush(self) -> None:
        ProductPrice.objects.bulk_create(self.prices)
        Stock.objects.bulk_create(self.stocks)
        if self.priced:
            Withdrawal.objects.filter(product_id__in=self.priced, reason=WithdrawalReason.NO_PRICE).delete()
        now = timezone.now()
        for product in self.products.values():
            product.updated_at = now
        Product.objects.bulk_update(list(self.products.values()), ["price", "old_price", "is_active", "updated_at"])


def _prices_apply(offer: Offer, product: Product, prices: dict, ctx: Context, writes: _Writes) -> None:
    for type_id, value in offer.prices.items():
        price_type = ctx.price_types.get(type_id)
        if price_type is None:
            ctx.note(f"Предложение {offer.id}: неизвестный тип цен {type_id}", offer.line)
            continue
        value = value.quantize(Decimal("0.01"))
        if value <= 0:
            ctx.note(f"Предложение {offer.id}: цена {value} должна быть больше нуля", offer.line)
            continue
        row = prices.get((product.pk, price_type.pk))
        if row is None:
            row = ProductPrice(product=product, price_type=price_type, price=value)
            prices[(product.pk, price_type.pk)] = row
            writes.prices.append(row)
        elif row.price != value:
            ProductPrice.objects.filter(pk=row.pk).update(price=value)
            row.price = value
        if price_type.is_retail:
            _retail_apply(product, value, ctx, writes)


def _retail_apply(product: Product, value: Decimal, ctx: Context, writes: _Writes) -> None:
    changed = []
    if product.price != value:
        product.price = value
        changed.append("price")
        if product.old_price is not None and product.old_price <= value:
            product.old_price = None
            changed.append("old_price")
    reasons = writes.held.get(product.pk, set())
    if WithdrawalReason.NO_PRICE in reasons:
        # Its first retail price: a product made from import.xml goes on sale unless held back otherwise.
        reasons.discard(WithdrawalReason.NO_PRICE)
        writes.priced.append(product.pk)
        if not product.is_active and not reasons:
            product.is_active = True
            changed.append("is_active")
    if changed:
        if product.pk not in writes.products:
            ctx.report.updated += 1
        writes.products[product.pk] = product
        ctx.report.changed_products.add(product.pk)


def _stock_apply(offer: Offer, product: Product, stocks: dict, ctx: Context, writes: _Writes) -> None:
    if product.is_service:
        return
    wanted = dict(offer.stocks or {})
    if not wanted and offer.quantity is not None:
        default = _default_warehouse()
        if default is None:
            return
        wanted = {None: offer.quantity}
        targets = {None: default}
    else:
        targets = {}
    for external_id, units in wanted.items():
        if external_id is not None:
            if external_id not in ctx.warehouses:
                ctx.warehouses[external_id] = _warehouse_create(external_id, "", offer.line, ctx)
            targets[external_id] = ctx.warehouses[external_id]
        quantity = max(int(units), 0)
        warehouse_id = targets[external_id]
        row = stocks.get((product.pk, warehouse_id))
        if row is None:
            row = Stock(product=product, warehouse_id=warehouse_id, quantity=quantity)
            stocks[(product.pk, warehouse_id)] = row
            writes.stocks.append(row)
            ctx.report.changed_products.add(product.pk)
            continue
        if row.quantity == quantity:
            continue
        if quantity < row.reserved:
            ctx.note(
                f"Предложение {offer.id}: остаток {quantity} меньше резерва {row.reserved} заказов — записан резерв",
                offer.line,
            )
            quantity = row.reserved
            if row.quantity == quantity:
                continue
        # Conditional, so a reservation taken meanwhile is never pushed above what is on hand.
        if Stock.objects.filter(pk=row.pk, reserved__lte=quantity).update(quantity=quantity, updated_at=timezone.now()):
            row.quantity = quantity
            ctx.report.changed_products.add(product.pk)


def _default_warehouse() -> int | None:
    """Where a total without warehouses goes: the first active warehouse."""
    return Warehouse.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True).first()
