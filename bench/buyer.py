"""A signed-in buyer for the benchmark: an account with three cart lines, a checkout under way and a session."""

from importlib import import_module

BUYER_EMAIL = "bench-buyer@example.com"
CART_LINES = 3


def bench_buyer_cookie() -> str:
    """Create (or reuse) the bench buyer and return a `Cookie` header value of a signed-in session."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from cart.models import Cart, CartLine
    from catalog.availability import in_stock_q
    from catalog.models import Product
    from core.models import Region
    from orders.state import REGION_SESSION_KEY
    from orders.state import SESSION_KEY as CHECKOUT_SESSION_KEY

    moscow = Region.objects.get(code="77")
    user = get_user_model().objects.filter(email=BUYER_EMAIL).first()
    if user is None:
        user = get_user_model().objects.create_user(email=BUYER_EMAIL, first_name="Бенч", region=moscow)
    cart, _ = Cart.objects.get_or_create(user=user)
    if cart.lines.count() != CART_LINES:
        cart.lines.all().delete()
        products = Product.objects.filter(in_stock_q(), is_active=True, is_service=False).order_by("pk")[:CART_LINES]
        CartLine.objects.bulk_create(
            [CartLine(cart=cart, product=p, product_name=p.name, product_sku=p.sku, quantity=1) for p in products]
        )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[REGION_SESSION_KEY] = moscow.pk
    session[CHECKOUT_SESSION_KEY] = {"region": str(moscow.pk), "delivery": "courier", "full_name": "Бенч"}
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
