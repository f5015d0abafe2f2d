import factory

from cart.models import Cart, CartLine
from catalog.tests.factories import ProductFactory


class CartFactory(factory.django.DjangoModelFactory):
    """A guest's cart; pass `user=` and `session_key=None` for a customer's."""

    class Meta:
        model = Cart

    session_key = factory.Sequence(lambda n: f"session{n:032d}"[-32:])


class CartLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    product = factory.SubFactory(ProductFactory)
    product_name = factory.LazyAttribute(lambda line: line.product.name)
    product_sku = factory.LazyAttribute(lambda line: line.product.sku)
    quantity = 1
