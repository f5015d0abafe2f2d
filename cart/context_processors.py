from django.utils.functional import SimpleLazyObject

from cart.selectors import cart_summary


def cart(request):
    """Expose the cart's units and sum to the header, counted (in one query) only if a template shows them."""
    summary = SimpleLazyObject(lambda: cart_summary(request=request))
    return {"cart_summary": summary, "cart_count": SimpleLazyObject(lambda: summary.count)}
