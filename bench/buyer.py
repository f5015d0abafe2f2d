"""Signed-in buyers for the benchmarks: accounts with cart lines and sessions made without a login page."""

from importlib import import_module

BUYER_EMAIL = "bench-buyer@example.com"
CART_LINES = 3


def signed_in_session(user, *, region, checkout: dict | None = None) -> str:
    """Create a session signed in as `user` in `region` (and a checkout under way); return its key."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from orders.state import REGION_SESSION_KEY
    from orders.state import SESSION_KEY as CHECKOUT_SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[REGION_SESSION_KEY] = region.pk
    if checkout is not None:
        session[CHECKOUT_SESSION_KEY] = checkout
    session.create()
    return session.session_key


def cart_fill(user, products) -> None:
    """Make the account's cart hold exactly one unit of each of `products`."""
    from cart.models import Cart, CartLine

    cart, _ = Cart.objects.get_or_create(user=user)
    cart.lines.all().delete()
    CartLine.objects.bulk_create(
        [CartLine(cart=cart, product=p, product_name=p.name, product_sku=p.sku, quantity=1) for p in products]
    )


def bench_buyers(count: int, *, region, prefix: str = "bench-flow") -> list:
    """`count` accounts of Moscow buyers (made once, reused by later runs), in a stable order."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    buyers = []
    for number in range(1, count + 1):
        email = f"{prefix}-{number:03d}@example.com"
        user = users.filter(email=email).first() or users.create_user(
            email=email, first_name="Покупатель", last_name=f"Бенч-{number}", region=region
        )
        buyers.append(user)
    return buyers


def bench_buyer_cookie() -> str:
    """Create (or reuse) the bench buyer and return a `Cookie` header value of a signed-in session."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from cart.models import Cart
    from catalog.availability import in_stock_q
    from catalog.models import Product
    from core.models import Region

    moscow = Region.objects.get(code="77")
    user = get_user_model().objects.filter(email=BUYER_EMAIL).first()
    if user is None:
        user = get_user_model().objects.create_user(email=BUYER_EMAIL, first_name="Бенч", region=moscow)
    cart, _ = Cart.objects.get_or_create(user=user)
    if cart.lines.count() != CART_LINES:
        products = Product.objects.filter(in_stock_q(), is_active=True, is_service=False).order_by("pk")[:CART_LINES]
        cart_fill(user, products)
    checkout = {"region": str(moscow.pk), "delivery": "courier", "full_name": "Бенч"}
    return f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user, region=moscow, checkout=checkout)}"
