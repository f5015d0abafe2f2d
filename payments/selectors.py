"""Payment reads for pages: a visitor's own payment, or 404."""

from django.http import Http404

from orders.selectors import visitor_orders
from payments.models import Payment


def payment_for_visitor(*, user, session, **lookup) -> Payment:
    """The visitor's payment found by `public_id` or `external_id`; Http404 for anyone else's."""
    payment = (
        Payment.objects.filter(order__in=visitor_orders(user=user, session=session), **lookup)
        .select_related("order")
        .first()
    )
    if payment is None:
        raise Http404("Нет такого платежа")
    return payment
