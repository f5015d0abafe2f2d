"""Every read the cart pages need, each with a fixed number of queries."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum
from django.http import HttpRequest

from cart.models import Cart, CartLine
from catalog.availability import Availability, line_status, orderable_q, with_availability
from catalog.models import Product, ProductImage
from core.money import to_kopecks


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
    """The visitor's open cart, or None; never creates one."""
    owner = cart_owner(request=request)
    return Cart.objects.filter(**owner).first() if owner else None


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
    """Units in the visitor's cart and what the orderable ones cost: one query, none without a session.

    The total follows the cart page: lines that cannot be ordered (out of stock, no backorder, not a service)
    count as units but add nothing to the sum.
    """
    owner = cart_owner(request=request)
    if owner is None:
        return EMPTY_SUMMARY
    lines = with_availability(
        CartLine.objects.filter(product__isnull=False, **{f"cart__{key}": value for key, value in owner.items()}),
        product_ref="product_id",
    )
    orderable = orderable_q(product_prefix="product__")
    totals = lines.aggregate(
        units=Sum("quantity"),
        total=Sum(F("quantity") * F("product__price"), filter=orderable, output_field=DecimalField()),
    )
    return CartSummary(count=totals["units"] or 0, total=to_kopecks(totals["total"] or 0))


def product_get_for_cart(*, product_id: int) -> Product:
    """The product a customer asks to put in the cart, or Product.DoesNotExist."""
    return Product.objects.only("id", "name", "sku", "is_active").get(pk=product_id)


def first_images(*, product_ids: list[int]) -> dict[int, ProductImage]:
    """Each product's first image by position, in one query (none without products)."""
    if not product_ids:
        return {}
    images = ProductImage.objects.filter(product_id__in=product_ids)
    if connection.features.can_distinct_on_fields:
        # PostgreSQL's DISTINCT ON: one row per product, cheaper to build and run than a window function.
        images = images.order_by("product_id", "position", "pk").distinct("product_id")
        return {image.product_id: image for image in images}
    first = {}
    for image in images.order_by("position", "pk"):
        first.setdefault(image.product_id, image)
    return first


def _lines_of(*, cart: Cart | None, request: HttpRequest | None):
    if cart is not None:
        return CartLine.objects.filter(cart=cart)
    owner = cart_owner(request=request) if request is not None else None
    if owner is None:
        return None
    return CartLine.objects.filter(**{f"cart__{key}": value for key, value in owner.items()})


def _detail_rows(lines) -> list[CartLine]:
    """The lines with their cart, product, units free to sell and first image's id, in one query."""
    first_image = ProductImage.objects.filter(product=OuterRef("product_id")).order_by("position", "pk")
    lines = with_availability(lines, product_ref="product_id").select_related("cart", "product")
    lines = lines.annotate(first_image_id=Subquery(first_image.values("pk")[:1]))
    return list(lines.order_by("created_at", "pk"))


def _is_gone(line: CartLine) -> bool:
    return line.product is None or not line.product.is_active


def cart_page_state(*, request: HttpRequest) -> tuple[str, CartSummary] | None:
    """What the visitor's cart page shows, as a digest, and the header's count and sum: one query.

    The digest covers every line, quantity, price, product edit, first image and the units free to sell,
    all read now from the database, so a page stored under it never shows a stale price, a removed line or
    yesterday's availability. None when the page must be rendered in full (no cart owner, or lines to prune).
    The lines read are kept on the request for `cart_detail`, which then needs only the images.
    """
    lines = _lines_of(cart=None, request=request)
    if lines is None:
        return None
    rows = request._cart_rows = _detail_rows(lines)
    if any(_is_gone(line) for line in rows):
        return None
    shown = [
        (
            line.pk,
            line.quantity,
            line.product_id,
            line.product.updated_at.isoformat(),
            str(line.product.price),
            line.available,
            line.product.backorder_days,
            line.product.is_service,
            line.first_image_id,
        )
        for line in rows
    ]
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    total = sum(
        (line_total(price=line.product.price, quantity=line.quantity) for line in rows if line_status(line).can_order),
        Decimal("0.00"),
    )
    return digest, CartSummary(count=sum(line.quantity for line in rows), total=total)


def cart_detail(*, cart: Cart | None = None, request: HttpRequest | None = None) -> CartDetail:
    """The cart page's lines with product, availability, first image and totals, in two queries.

    The cart is the given one or the visitor's. One query reads the lines with their cart, product and units
    free to sell (none when `cart_page_state` already read them in this request); the other the products'
    first images. Lines whose product was deleted or taken off sale are left out and kept in `gone`, for the
    page to prune.
    """
    rows = getattr(request, "_cart_rows", None) if cart is None and request is not None else None
    if rows is None:
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
