"""Checkout reads: one CheckoutInfo loaded once with a fixed number of queries and passed to every step."""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import caches
from django.db import router
from django.utils import timezone
from django.utils.functional import cached_property

from cart.models import Cart, CartLine
from catalog import versions
from catalog.availability import free_unit_rows, lead_days, lead_label, serving_warehouse_ids
from catalog.models import Product
from catalog.selectors import category_tree
from core.models import Region
from core.sql import Prepared, prepare
from delivery.models import DeliveryKind, DeliveryZone
from delivery.rules import parcel_of
from delivery.selectors import (
    DeliveryOffer,
    RegionDelivery,
    WindowChoice,
    courier_windows,
    delivery_offers,
    region_delivery,
    zone_for_region,
)
from loyalty.selectors import earn_percent, points_balance
from orders.pricing import DeliveryTerms, PriceLine, Pricing, PromoKind, PromoTerms, price_checkout
from promotions.models import PromoCode

UNDELIVERABLE = "«{name}» нельзя доставить в этот регион: нет на складах, которые его обслуживают"


@dataclass
class CheckoutLine:
    line_id: int
    product: Product
    quantity: int
    lead_days: int | None

    @property
    def price_line(self) -> PriceLine:
        return PriceLine(
            key=self.product.pk,
            name=self.product.name,
            price=self.product.price,
            quantity=self.quantity,
            vat_rate=self.product.vat_rate,
            category_id=self.product.category_id,
            brand_id=self.product.brand_id,
        )


def _regions() -> list[tuple[int, str]]:
    """Russia's regions for the page's choice, (id, name)."""
    return list(Region.objects.order_by("name").values_list("pk", "name"))


@dataclass(frozen=True)
class RegionReads:
    """What a checkout reads of its region whatever the cart, and the regions' list of the page."""

    region: Region | None
    warehouse_ids: list[int]  # the active warehouses that ship to the region
    zone: DeliveryZone | None
    delivery: RegionDelivery | None
    earn_percent: Decimal
    regions: list[tuple[int, str]]


def region_reads(*, region: Region | None, earn: bool = True, regions: bool = True) -> RegionReads:
    """The region's reads; the earn rate and the regions' list only when asked for (`checkout_load` without
    kept reads needs neither for a guest, nor ever the list)."""
    region_id = region.pk if region else None
    zone = zone_for_region(region_id=region_id)
    return RegionReads(
        region=region,
        warehouse_ids=serving_warehouse_ids(region_id=region_id),
        zone=zone,
        delivery=region_delivery(zone=zone, region_id=region_id) if zone is not None else None,
        earn_percent=earn_percent() if earn else Decimal("0"),
        regions=_regions() if regions else [],
    )


@dataclass
class CheckoutInfo:
    """Everything the checkout page and its steps need, read once."""

    cart: Cart | None
    lines: list[CheckoutLine]
    region: Region | None
    zone: DeliveryZone | None
    offers: list[DeliveryOffer]
    ready_days: int | None
    windows: list[WindowChoice]
    balance: int
    earn_percent: Decimal
    today: datetime.date
    undeliverable: list[str] = field(default_factory=list)
    warehouse_ids: list[int] = field(default_factory=list)  # the active warehouses that ship to the region
    last_address: str = ""  # of the buyer's latest courier or post order (`checkout_info` reads it)

    @cached_property
    def regions(self) -> list[tuple[int, str]]:
        """Russia's regions for the page's choice, (id, name); `checkout_info` gives the kept ones."""
        return _regions()

    def offer(self, kind: str | None) -> DeliveryOffer | None:
        return next((offer for offer in self.offers if offer.kind == kind), None)

    @property
    def first_window_date(self) -> datetime.date:
        return self.today + datetime.timedelta(days=self.ready_days or 1)

    def expected_date(self, offer: DeliveryOffer) -> datetime.date:
        return self.today + datetime.timedelta(days=offer.days)

    def expected_label(self, offer: DeliveryOffer) -> str:
        return lead_label(offer.days)


def _region_pk(region_id) -> int | None:
    try:
        pk = int(region_id)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**31 else None


def region_get(*, region_id) -> Region | None:
    """A region by its id as a form sent it, or None when it is not one of Russia's regions."""
    pk = _region_pk(region_id)
    return Region.objects.filter(pk=pk).first() if pk is not None else None


# What the checkout and the order's lines read of a product.
LINE_PRODUCT_FIELDS = (
    "name", "sku", "price", "vat_rate", "category_id", "brand_id", "warranty_months", "weight_kg",
    "length_mm", "width_mm", "height_mm", "is_service", "backorder_days",
)  # fmt: skip


# The same, in the order of the model's fields (`Model.from_db` takes the values in that order).
_LINE_PRODUCT_COLUMNS = tuple(
    f.attname for f in Product._meta.concrete_fields if f.attname in {"id", *LINE_PRODUCT_FIELDS}
)
_CART_STANDIN = -917_364_532


@functools.cache
def _lines_query(alias: str) -> Prepared:
    """A cart's lines on sale with what the checkout reads of their products, compiled once per process
    (core.sql): building the join cost the checkout more than running it."""

    def build(cart):
        lines = CartLine.objects.filter(cart_id=cart, product__isnull=False, product__is_active=True)
        fields = (f"product__{name}" for name in _LINE_PRODUCT_COLUMNS)
        return lines.order_by("created_at", "pk").values_list("pk", "quantity", *fields)

    return prepare(build, using=alias, cart=_CART_STANDIN)


def _lines(cart: Cart | None, warehouse_ids: list[int]) -> list[CheckoutLine]:
    if cart is None:
        return []
    alias = router.db_for_read(CartLine)
    rows = []
    for line_id, quantity, *product in _lines_query(alias).rows(alias, cart=cart.pk):
        rows.append((line_id, quantity, Product.from_db(alias, _LINE_PRODUCT_COLUMNS, product)))
    in_region: dict[int, int] = defaultdict(int)
    if rows:
        for product_id, units in free_unit_rows(warehouse_ids=warehouse_ids, product_ids=[r[2].pk for r in rows]):
            in_region[product_id] += units
    return [
        CheckoutLine(
            line_id=line_id,
            product=product,
            quantity=quantity,
            lead_days=lead_days(
                in_region=in_region[product.pk],
                quantity=quantity,
                backorder_days=product.backorder_days,
                is_service=product.is_service,
            ),
        )
        for line_id, quantity, product in rows
    ]


def checkout_load(
    *,
    cart: Cart | None,
    user,
    region: Region | None,
    today: datetime.date | None = None,
    reads: RegionReads | None = None,
) -> CheckoutInfo:
    """The cart's lines with what the region's warehouses hold, the region's delivery offers and the buyer's
    points; the region's own reads from `reads` when given (`checkout_info` keeps them)."""
    today = today or timezone.localdate()
    region_id = region.pk if region else None
    authenticated = user is not None and user.is_authenticated
    reads = reads or region_reads(region=region, earn=authenticated, regions=False)
    warehouse_ids = reads.warehouse_ids
    lines = _lines(cart, warehouse_ids)
    undeliverable = [UNDELIVERABLE.format(name=line.product.name) for line in lines if line.lead_days is None]
    ready_days = max((line.lead_days for line in lines if line.lead_days is not None), default=1)
    zone = reads.zone
    parcel = parcel_of(
        [
            (
                line.product.weight_kg,
                [line.product.length_mm, line.product.width_mm, line.product.height_mm],
                line.quantity,
            )
            for line in lines
            if not line.product.is_service
        ]
    )
    offers = delivery_offers(
        zone=zone,
        region_id=region_id,
        parcel=parcel,
        ready_days=ready_days,
        delivery=reads.delivery,
    )
    windows = []
    if zone is not None and any(offer.kind == DeliveryKind.COURIER for offer in offers):
        windows = courier_windows(zone=zone, first_date=today + datetime.timedelta(days=ready_days))
    info = CheckoutInfo(
        cart=cart,
        lines=lines,
        region=region,
        zone=zone,
        offers=offers,
        ready_days=ready_days,
        windows=windows,
        balance=points_balance(user=user) if authenticated else 0,
        earn_percent=reads.earn_percent if authenticated else Decimal("0"),
        today=today,
        undeliverable=undeliverable,
        warehouse_ids=warehouse_ids,
    )
    if reads.regions:
        info.regions = reads.regions
    return info


# How old the warehouses' units, the courier windows' bookings and the points balance on a checkout page may be.
CHECKOUT_SECONDS = 15


def _checkout_key(cart_id: int) -> str:
    return f"checkout:{cart_id}"


def _region_key(region_pk: int | None) -> str:
    return f"checkout-region:{region_pk}"


def _kept_region(region_pk: int | None, today: datetime.date, kept) -> RegionReads:
    """The region's reads as `kept` holds them for today, else read now and kept for CHECKOUT_SECONDS."""
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == today:
        return kept[1]
    reads = region_reads(region=region_get(region_id=region_pk))
    caches["catalog"].set(_region_key(region_pk), (today, reads), CHECKOUT_SECONDS)
    return reads


def checkout_region(*, region_id, today: datetime.date) -> RegionReads:
    """The region's reads every checkout page of the region was shown in the last CHECKOUT_SECONDS: the
    placement delivers and earns on the terms the buyer saw."""
    region_pk = _region_pk(region_id)
    return _kept_region(region_pk, today, caches["catalog"].get(_region_key(region_pk)))


def checkout_info(*, cart: Cart | None, user, region_id) -> CheckoutInfo:
    """`checkout_load` for the region a form sent, kept for CHECKOUT_SECONDS: per cart version, region, buyer,
    day and catalogue prices (the page's POST and «Оплата» reuse it), and the region's own reads per region
    and day (every cart's checkout in the region uses them). The placement reads the cart afresh."""
    if cart is None:
        return checkout_load(cart=None, user=user, region=region_get(region_id=region_id))
    today, region_pk = timezone.localdate(), _region_pk(region_id)
    cart_key, region_key = _checkout_key(cart.pk), _region_key(region_pk)
    found = versions.fetch([cart_key, region_key, *versions.PRICE_KEYS])  # one round trip
    fingerprint = (
        cart.updated_at,
        region_pk,
        user.pk if user is not None and user.is_authenticated else None,
        today,
        versions.stamps(versions.PRICE_KEYS, found),
    )
    entry = found.get(cart_key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == fingerprint:
        info = entry[1]
        info.cart = cart
        return info
    reads = _kept_region(region_pk, today, found.get(region_key))
    info = checkout_load(cart=cart, user=user, region=reads.region, today=today, reads=reads)
    if user is not None and user.is_authenticated:
        info.last_address = customer_last_address(user=user)
    caches["catalog"].set(cart_key, (fingerprint, info), CHECKOUT_SECONDS)
    return info


def checkout_forget(*, cart_id: int, region_id) -> None:
    """Read the cart's checkout and its region afresh next time (a placement refused: what it found must show)."""
    caches["catalog"].delete_many([_checkout_key(cart_id), _region_key(_region_pk(region_id))])


def _with_descendants(category_ids) -> frozenset[int]:
    """The categories with every category below them in the (cached) tree."""
    tree = category_tree()
    ids: set[int] = set()
    for pk in category_ids:
        node = tree.by_id.get(pk)
        ids.update(tree.descendant_ids(node) if node is not None else [pk])
    return frozenset(ids)


def promo_terms(promo: PromoCode) -> PromoTerms:
    """What the pricing function needs of a promo code (its scope prefetched by promotions.selectors.promo_get)."""
    return PromoTerms(
        code=promo.code,
        kind=PromoKind(promo.kind),
        value=promo.value,
        min_order=promo.min_order,
        category_ids=_with_descendants(c.pk for c in promo.categories.all()),
        brand_ids=frozenset(b.pk for b in promo.brands.all()),
        product_ids=frozenset(p.pk for p in promo.products.all()),
        combines_with_points=promo.combines_with_points,
    )


def checkout_price(
    *, info: CheckoutInfo, offer: DeliveryOffer | None, promo: PromoTerms | None, points: int
) -> Pricing:
    """Price the checkout with the one pricing function."""
    delivery = None
    if offer is not None and offer.can_carry:
        delivery = DeliveryTerms(cost=offer.cost, free_from=offer.free_from)
    return price_checkout(
        lines=[line.price_line for line in info.lines],
        promo=promo,
        points=points,
        points_balance=info.balance,
        delivery=delivery,
        earn_percent=info.earn_percent,
    )


# --- Orders a visitor may see -------------------------------------------------------------------
# A customer sees the orders of the account; a guest those placed in this session. Any other → 404.
SESSION_ORDERS_KEY = "placed_orders"


def visitor_order_numbers(session) -> list[str]:
    return list(session.get(SESSION_ORDERS_KEY, []))


def visitor_remember_order(session, number: str) -> None:
    numbers = visitor_order_numbers(session)
    if number not in numbers:
        session[SESSION_ORDERS_KEY] = [*numbers[-19:], number]


def visitor_orders(*, user, session):
    """The visitor's orders, newest first."""
    from django.db.models import Q

    from orders.models import Order

    placed_here = Q(user__isnull=True, number__in=visitor_order_numbers(session))
    if user is not None and user.is_authenticated:
        # Orders placed as a guest in this session stay visible after signing in.
        return Order.objects.filter(Q(user=user) | placed_here)
    return Order.objects.filter(placed_here)


_USER_STANDIN = -917_364_542


@functools.cache
def _last_address_query(alias: str) -> Prepared:
    """`customer_last_address`, compiled once per process (core.sql)."""
    from orders.models import Order

    def build(user):
        address = Order.objects.filter(user_id=user).exclude(courier_address="").order_by("-created_at", "-pk")
        return address.values_list("courier_address")[:1]

    return prepare(build, using=alias, user=_USER_STANDIN)


def customer_last_address(*, user) -> str:
    """The address the customer's latest courier or post order went to, to offer at the next checkout."""
    from orders.models import Order

    alias = router.db_for_read(Order)
    rows = _last_address_query(alias).rows(alias, user=user.pk)
    return rows[0][0] if rows else ""


def order_for_visitor(*, user, session, number: str):
    """The visitor's order with its lines, history, documents and payments; Http404 for anyone else's."""
    from django.http import Http404

    order = (
        visitor_orders(user=user, session=session)
        .filter(number=str(number)[:20])
        .select_related("region")
        .prefetch_related("lines", "history", "documents")
        .first()
    )
    if order is None:
        raise Http404("Нет такого заказа")
    return order


# --- Purchases, as the service desk reads them for the warranty check --------------------------------


@dataclass(frozen=True)
class Purchase:
    """One bought line of a paid order: what, when, its serial numbers and how long the warranty runs."""

    line_id: int
    order_number: str
    name: str
    sku: str
    serials: tuple[str, ...]
    purchased_on: datetime.date
    warranty_months: int

    @property
    def warranty_until(self) -> datetime.date:
        return add_months(self.purchased_on, self.warranty_months)

    def under_warranty(self, on: datetime.date) -> bool:
        return on <= self.warranty_until


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def customer_purchases(*, user) -> list[Purchase]:
    """The goods a customer bought and paid for (not services), newest first."""
    from orders.models import OrderLine, OrderStatus

    lines = (
        OrderLine.objects.filter(
            order__user=user,
            is_service=False,
            order__status__in=[OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED],
        )
        .select_related("order")
        .order_by("-order__created_at", "pk")
    )
    return [
        Purchase(
            line_id=line.pk,
            order_number=line.order.number,
            name=line.name,
            sku=line.sku,
            serials=tuple(line.serials),
            purchased_on=timezone.localtime(line.order.paid_at or line.order.created_at).date(),
            warranty_months=line.warranty_months,
        )
        for line in lines
    ]


def return_units_left(*, order) -> dict[int, int]:
    """Units of each goods line the buyer may still ask to return (not in a return requested or accepted)."""
    from orders.models import ReturnLine, ReturnStatus

    taken: dict[int, int] = {}
    rows = ReturnLine.objects.filter(request__order=order).exclude(request__status=ReturnStatus.REJECTED)
    for line_id, units in rows.values_list("order_line_id", "quantity"):
        taken[line_id] = taken.get(line_id, 0) + units
    return {
        line.pk: line.quantity - taken.get(line.pk, 0)
        for line in order.lines.all()
        if not line.is_service and line.quantity > taken.get(line.pk, 0)
    }


def order_by_link(*, number: str, secret: str):
    """A guest's order by the secret of its emailed link; Http404 for a wrong secret or an account's order."""
    import hmac

    from django.http import Http404

    from orders.models import Order

    order = Order.objects.filter(number=str(number)[:20], user__isnull=True).first()
    if order is None or not hmac.compare_digest(order.secret.encode(), str(secret).encode()):
        raise Http404("Нет такого заказа")
    return order
