from django.utils.functional import SimpleLazyObject

from cart.selectors import cart_count


def cart(request):
    """Expose the units in the visitor's cart to the header, counted only if a template shows them."""
    return {"cart_count": SimpleLazyObject(lambda: cart_count(request=request))}
