"""Every read the cart pages need, each with a fixed number of queries."""

import functools
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection
from django.db.models import OuterRef, Subquery, Sum
from django.http import HttpRequest

from cart.models import Cart, CartLine
from catalog.availability import Availability, line_status, with_availability
from catalog.models import Product, ProductImage
from catalog.selectors import first_images
from core.money import to_kopecks
from core.sql import Prepared, prepare


def line_total(*, price: Decimal, quantity: int) -> Decimal:
    """The cost of a line, rounded to kopecks: the only rounding in the cart."""
    return to_kopecks(price * quantity)


@dataclass
class CartItem:
    line: CartLine
    product: Product
    image: ProductImage | None
    availability: Availability
    price: Decimal
    total: Decimal

    @property
    def pk(self) -> int:
        return self.line.pk

    @property
    def quantity(self) -> int:
        return self.line.quantity


@dataclass
class CartDetail:
    cart: Cart | None
    items: list[CartItem]
    total: Decimal
    count: int
    # Lines of products deleted or taken off sale, which the page removes with a message.
    gone: list[CartLine] = field(default_factory=list)

    @property
    def has_unorderable(self) -> bool:
        return any(not item.availability.can_order for item in self.items)

    @property
    def summary(self) -> "CartSummary":
        return CartSummary(count=self.count, total=self.total)


EMPTY = CartDetail(cart=None, items=[], total=Decimal("0.00"), count=0)


def cart_owner(*, request: HttpRequest) -> dict | None:
    """How the visitor's cart is found: the account's for a customer, the session's for a guest."""
    if request.user.is_authenticated:
        return {"user_id": request.user.pk}
    if request.session.session_key:
        return {"session_key": request.session.session_key, "user__isnull": True}
    return None


def cart_get(*, request: HttpRequest) -> Cart | None:
    """The visitor's open cart, or None; never creates one. One query, compiled once per process (core.sql)."""
    owner = cart_owner(request=request)
    if owner is None:
        return None
    kind = "user_id" if "user_id" in owner else "session_key"
    query, fields = _cart_query(kind, connection.alias)
    rows = query.rows(connection.alias, owner=owner[kind])
    return Cart.from_db(connection.alias, fields, rows[0]) if rows else None


def cart_count(*, request: HttpRequest) -> int:
    """Units in the visitor's cart: one query, none for a guest without a session."""
    owner = cart_owner(request=request)
    if owner is None:
        return 0
    lines = CartLine.objects.filter(**{f"cart__{key}": value for key, value in owner.items()})
    return lines.aggregate(units=Sum("quantity"))["units"] or 0


@dataclass(frozen=True)
class CartSummary:
    count: int
    total: Decimal


EMPTY_SUMMARY = CartSummary(count=0, total=Decimal("0.00"))


def cart_summary(*, request: HttpRequest) -> CartSummary:
    """Units in the visitor's cart and what the orderable ones cost: one query (the cart page's state,
    compiled once per process), none without a session.

    The total follows the cart page: lines that cannot be ordered (out of stock, no backorder, not a service)
    count as units but add nothing to the sum.
    """
    rows = _state_rows(request)
    return EMPTY_SUMMARY if rows is None else _summary_of(rows)


def _summary_of(rows: list[tuple]) -> CartSummary:
    count, total = 0, Decimal("0.00")
    for _pk, quantity, product_id, _active, _updated, price, available, backorder_days, is_service, _image in rows:
        if product_id is None:
            continue
        count += quantity
        product = SimpleNamespace(backorder_days=backorder_days, is_service=is_service)
        if line_status(SimpleNamespace(available=available, product=product)).can_order:
            total += line_total(price=Decimal(price), quantity=quantity)
    return CartSummary(count=count, total=total)


# What a cart reads of a product it takes, in the model's column order (Model.from_db takes them so).
ORDERABLE_FIELDS = tuple(
    f.attname
    for f in Product._meta.concrete_fields
    if f.attname in {"id", "name", "sku", "is_active", "is_service", "backorder_days"}
)
_PRODUCT_STANDIN = -917_364_531


@functools.cache
def _orderable_query(alias: str) -> Prepared:
    """A product with its units free to sell, compiled once per process (core.sql): building the
    availability subqueries cost a cart add more than running them."""
    return prepare(
        lambda pk: with_availability(Product.objects.filter(pk=pk)).values_list(*ORDERABLE_FIELDS, "available"),
        using=alias,
        with_now=True,
        pk=_PRODUCT_STANDIN,
    )


def product_for_cart(*, product_id: int) -> Product | None:
    """The product a customer asks to put in the cart, with `available` (units free to sell), or None."""
    if not 0 < product_id < 2**63:  # no such id: a bigint never holds it
        return None
    rows = _orderable_query(connection.alias).rows(connection.alias, pk=product_id)
    if not rows:
        return None
    *values, available = rows[0]
    product = Product.from_db(connection.alias, ORDERABLE_FIELDS, values)
    product.available = available
    return product


def _lines_of(*, cart: Cart | None, request: HttpRequest | None):
    if cart is not None:
        return CartLine.objects.filter(cart=cart)
    owner = cart_owner(request=request) if request is not None else None
    if owner is None:
        return None
    return CartLine.objects.filter(**{f"cart__{key}": value for key, value in owner.items()})


def _detail_rows(lines) -> list[CartLine]:
    """The lines with their cart, product and units free to sell, in one query."""
    lines = with_availability(lines, product_ref="product_id").select_related("cart", "product")
    return list(lines.order_by("created_at", "pk"))


def _is_gone(line: CartLine) -> bool:
    return line.product is None or not line.product.is_active


# Stand-ins for the owner of one request in the state query compiled once per process (`_state_query`).
_OWNER_STANDINS = {"user_id": -917_364_528, "session_key": "\x01cart-owner-standin\x01"}


@functools.cache
def _state_query(owner_kind: str, alias: str) -> Prepared:
    """The cart page's state for one kind of owner, compiled once per process (core.sql).

    Building and compiling the query (three subqueries for availability and the first image) is most of the
    work of a cart page served from the cache, and its text never changes. The availability module puts the
    current time in it (reservations that ran out); each request puts its own.
    """

    def build(owner):
        owner_filter = {"user_id": owner} if owner_kind == "user_id" else {"session_key": owner, "user__isnull": True}
        first_image = ProductImage.objects.filter(product=OuterRef("product_id")).order_by("position", "pk")
        lines = CartLine.objects.filter(**{f"cart__{key}": value for key, value in owner_filter.items()})
        lines = with_availability(lines, product_ref="product_id")
        lines = lines.annotate(first_image_id=Subquery(first_image.values("pk")[:1])).order_by("created_at", "pk")
        return lines.values_list(*STATE_FIELDS)

    return prepare(build, using=alias, with_now=True, owner=_OWNER_STANDINS[owner_kind])


@functools.cache
def _cart_query(owner_kind: str, alias: str) -> tuple[Prepared, tuple[str, ...]]:
    """The newest cart of one kind of owner, as `Cart.objects.filter(**owner).first()` reads it, and its columns."""
    fields = tuple(f.attname for f in Cart._meta.concrete_fields)

    def build(owner):
        owner_filter = {"user_id": owner} if owner_kind == "user_id" else {"session_key": owner, "user__isnull": True}
        return Cart.objects.filter(**owner_filter).order_by("-updated_at", "pk").values_list(*fields)[:1]

    return prepare(build, using=alias, owner=_OWNER_STANDINS[owner_kind]), fields


STATE_FIELDS = (
    "pk",
    "quantity",
    "product_id",
    "product__is_active",
    "product__updated_at",
    "product__price",
    "available",
    "product__backorder_days",
    "product__is_service",
    "first_image_id",
)


def cart_page_state(*, request: HttpRequest) -> tuple[str, CartSummary] | None:
    """What the visitor's cart page shows, as a digest, and the header's count and sum: one query.

    The digest covers every line, quantity, price, product edit, first image and the units free to sell,
    all read now from the database, so a page stored under it never shows a stale price, a removed line or
    a stale availability. None when the page must be rendered in full (no cart owner, or lines to prune).
    """
    rows = _state_rows(request)
    if rows is None or any(row[2] is None or not row[3] for row in rows):
        return None
    return hashlib.sha256(repr(rows).encode()).hexdigest(), _summary_of(rows)


def _state_rows(request: HttpRequest) -> list[tuple] | None:
    owner = cart_owner(request=request)
    if owner is None:
        return None
    kind = "user_id" if "user_id" in owner else "session_key"
    return _state_query(kind, connection.alias).rows(connection.alias, owner=owner[kind])


def cart_detail(*, cart: Cart | None = None, request: HttpRequest | None = None) -> CartDetail:
    """The cart page's lines with product, availability, first image and totals, in two queries.

    The cart is the given one or the visitor's. One query reads the lines with their cart, product and units
    free to sell; the other the products' first images. Lines whose product was deleted or taken off sale
    are left out and kept in `gone`, for the page to prune.
    """
    lines = _lines_of(cart=cart, request=request)
    if lines is None:
        return EMPTY
    rows = _detail_rows(lines)
    if not rows:
        return EMPTY
    cart = rows[0].cart
    gone = [line for line in rows if _is_gone(line)]
    rows = [line for line in rows if not _is_gone(line)]
    images = first_images(product_ids=[line.product_id for line in rows])
    items = []
    for line in rows:
        product = line.product
        availability = line_status(line)
        items.append(
            CartItem(
                line=line,
                product=product,
                image=images.get(product.pk),
                availability=availability,
                price=product.price,
                total=line_total(price=product.price, quantity=line.quantity),
            )
        )
    total = sum((item.total for item in items if item.availability.can_order), Decimal("0.00"))
    return CartDetail(cart=cart, items=items, total=total, count=sum(item.quantity for item in items), gone=gone)
