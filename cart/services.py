"""Every write to a cart: one function per business action."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from cart.exceptions import (
    CartLineNotFound,
    InvalidQuantity,
    LineQuantityLimit,
    ProductNotOnSale,
    ProductOutOfStock,
    QuantityAboveAvailable,
)
from cart.models import Cart, CartLine
from cart.selectors import cart_get, product_for_cart
from catalog.availability import orderable_limit, product_status
from catalog.models import Product

MIN_QUANTITY = 1
MAX_QUANTITY = 99
# Where a guest's session remembers the key its cart was made under, for the merge at login.
GUEST_CART_SESSION_KEY = "guest_cart_session_key"


def _session_key(request: HttpRequest) -> str:
    """The visitor's session key, creating a session when there is none yet."""
    session = request.session
    # Loading the session forgets a key the store no longer knows (an expired session),
    # so a guest cart is never tied to a key that is about to be replaced.
    session.keys()
    if session.session_key is None:
        session.create()
    return session.session_key


def cart_get_or_create(*, request: HttpRequest) -> Cart:
    """The visitor's open cart: the account's for a customer, the session's for a guest."""
    if request.user.is_authenticated:
        cart = cart_get(request=request)  # compiled once per process: cheaper than building get_or_create's
        if cart is None:
            cart, _ = Cart.objects.get_or_create(user=request.user)
    else:
        session_key = _session_key(request)
        cart, _ = Cart.objects.get_or_create(session_key=session_key, user=None)
        request.session[GUEST_CART_SESSION_KEY] = session_key
    return cart


def _check_quantity(quantity: int) -> None:
    # bool is an int; a checkbox's True must not become one unit.
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidQuantity
    if not MIN_QUANTITY <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity


def _check_orderable(product_id: int, product: Product | None = None) -> Product:
    """The product as it is now (`product` when `product_for_cart` has just read it), if it may be put in a cart."""
    if product is None or not hasattr(product, "available"):
        product = product_for_cart(product_id=product_id)
    if product is None or not product.is_active:
        raise ProductNotOnSale
    if not product_status(product).can_order:
        raise ProductOutOfStock
    return product


def _check_available(product: Product, quantity: int) -> None:
    """Refuse more units than can be delivered, unless the product may be ordered ahead."""
    limit = orderable_limit(product.available, product.backorder_days, is_service=product.is_service)
    if limit is not None and quantity > limit:
        raise QuantityAboveAvailable(limit)


def cart_touch(*, cart: Cart) -> bool:
    """Move the cart's `updated_at`, the version its checkout is read under: every change to its lines does.
    False when there is no such cart.

    The UPDATE also takes the cart's row until the transaction ends: every change to a cart's lines starts
    with it, so two tabs adding at once add up.
    """
    return Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now()) > 0


@transaction.atomic
def cart_add_item(*, cart: Cart, product: Product, quantity: int = 1) -> CartLine:
    """Put a product in the cart, adding to the line it already has: the product as `product_for_cart` has just
    read it (the add-to-cart view), any other read now."""
    _check_quantity(quantity)
    cart_touch(cart=cart)
    current = _check_orderable(product.pk, product)
    line = CartLine.objects.filter(cart=cart, product_id=current.pk).first()
    if line is None:
        line = CartLine(cart=cart, product=current, quantity=quantity)
    elif line.quantity + quantity > MAX_QUANTITY:
        raise LineQuantityLimit
    else:
        line.quantity += quantity
    _check_available(current, line.quantity)
    line.product_name = current.name
    line.product_sku = current.sku
    line.full_clean(exclude=["cart", "product"], validate_unique=False, validate_constraints=False)
    line.save()
    return line


def _line(cart: Cart, line_id: int) -> CartLine:
    line = CartLine.objects.filter(cart=cart, pk=line_id).first()
    if line is None:
        raise CartLineNotFound
    return line


@transaction.atomic
def cart_set_quantity(*, cart: Cart, line_id: int, quantity: int) -> CartLine:
    """Change how many units of a line the customer wants."""
    cart_touch(cart=cart)
    line = _line(cart, line_id)
    _check_quantity(quantity)
    if line.product_id is None:
        raise ProductNotOnSale
    if quantity > line.quantity:
        # Asking for more needs the product to be orderable now; asking for fewer never does.
        _check_available(_check_orderable(line.product_id), quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity", "updated_at"])
    return line


@transaction.atomic
def cart_remove_line(*, cart: Cart, line_id: int) -> str:
    """Take a line out of the cart; returns the product's name for the message."""
    cart_touch(cart=cart)
    line = _line(cart, line_id)
    line.delete()
    return line.product_name


def cart_prune(*, cart: Cart) -> list[str]:
    """Drop lines whose product was deleted or taken off sale; returns their names."""
    gone = CartLine.objects.filter(cart=cart).filter(Q(product__isnull=True) | Q(product__is_active=False))
    rows = list(gone.values_list("pk", "product_name"))
    if rows:
        CartLine.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        cart_touch(cart=cart)
    return [name for _, name in rows]


@transaction.atomic
def cart_merge_guest(*, session_key: str | None, user) -> int:
    """At login, move the guest's lines into the customer's cart; returns how many lines came over."""
    if not session_key:
        return 0
    guest = Cart.objects.filter(session_key=session_key, user__isnull=True).first()
    if guest is None:
        return 0
    target, _ = Cart.objects.get_or_create(user=user)
    # Both carts in primary-key order, as every other writer takes them: no deadlock.
    list(Cart.objects.select_for_update().filter(pk__in=[guest.pk, target.pk]).order_by("pk").values_list("pk"))
    existing = {line.product_id: line for line in target.lines.filter(product__isnull=False)}
    moved = 0
    for line in guest.lines.filter(product__isnull=False):
        if line.product_id in existing:
            kept = existing[line.product_id]
            kept.quantity = min(MAX_QUANTITY, kept.quantity + line.quantity)
            kept.save(update_fields=["quantity", "updated_at"])
        else:
            line.cart = target
            line.save(update_fields=["cart", "updated_at"])
        moved += 1
    guest.delete()
    cart_touch(cart=target)
    return moved


def cart_discard_for_user(*, user) -> None:
    """Delete a customer's cart, as when the account is deleted."""
    Cart.objects.filter(user=user).delete()


GUEST_CART_DAYS = 30


def cart_delete_stale(*, days: int = GUEST_CART_DAYS, now: datetime.datetime | None = None) -> int:
    """Delete guest carts nobody touched for `days` days; returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    stale = Cart.objects.filter(user__isnull=True, updated_at__lt=cutoff)
    # A cart counts as touched when any of its lines was, too.
    stale = stale.exclude(lines__updated_at__gte=cutoff)
    _, per_model = stale.delete()
    return per_model.get(Cart._meta.label, 0)


def cart_lock(*, cart_id: int) -> Cart | None:
    """Take a cart's row for the rest of the caller's transaction (one checkout of it at a time) by moving
    its version (`cart_touch`); the cart (its id only), or None when there is no such cart."""
    cart = Cart(pk=cart_id)
    return cart if cart_touch(cart=cart) else None


def cart_clear(*, cart: Cart) -> int:
    """Empty a cart whose goods became an order; the caller's transaction holds it (`cart_lock`)."""
    deleted, _ = CartLine.objects.filter(cart=cart).delete()
    return deleted
