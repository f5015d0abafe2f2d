"""One way to make orders in tests: through `order_place`, as a buyer does."""

from decimal import Decimal

from cart.tests.factories import CartFactory, CartLineFactory
from delivery.tests.factories import region
from orders.models import PaymentMethod, Seller
from orders.services import order_place


def pickup_data(point, **extra) -> dict:
    """Checkout state of a private buyer in Moscow collecting from a pickup point."""
    data = {
        "region": str(region("77").pk),
        "full_name": "Иванова Ирина Петровна",
        "email": "irina@example.ru",
        "phone": "",
        "delivery": "point",
        "pickup_point": str(point.pk),
        "promo_code": "",
        "points": "",
    }
    return data | extra


def cart_of(*lines, user=None):
    """A cart holding (product, quantity) pairs: the account's, or a guest's."""
    cart = CartFactory(user=user, session_key=None) if user else CartFactory()
    for product, quantity in lines:
        CartLineFactory(cart=cart, product=product, quantity=quantity)
    return cart


def place(cart, point, *, user=None, method=PaymentMethod.CARD, now=None, **extra):
    from django.contrib.auth.models import AnonymousUser

    return order_place(
        cart_id=cart.pk, user=user or AnonymousUser(), data=pickup_data(point, **extra), method=method, now=now
    )


def seller() -> Seller:
    """The demo seller, with checksum-valid details."""
    return Seller.objects.create(
        name="ООО «Охрана Плюс»",
        inn="7701234560",
        kpp="770101001",
        ogrn="1027700132195",
        address="125009, г. Москва, ул. Тверская, д. 7",
        site_address="https://ohrana-plus.ru",
        bank_name="АО «Демо Банк», г. Москва",
        bik="044525225",
        correspondent_account="30101810400000000225",
        settlement_account="40702810938000012345",
        director="Петров П. П.",
        accountant="Сидорова А. А.",
    )


ZERO = Decimal("0.00")
