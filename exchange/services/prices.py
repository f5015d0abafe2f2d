"""The retail price type: the one whose prices are the shop's."""

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from catalog.models import Product
from exchange.models import PriceType, ProductPrice


@transaction.atomic
def price_type_make_retail(*, price_type_id: int) -> int:
    """Make a price type the retail one and give every product that has a price of it that price at once;
    returns how many products changed price."""
    PriceType.objects.filter(is_retail=True).exclude(pk=price_type_id).update(is_retail=False)
    PriceType.objects.filter(pk=price_type_id).update(is_retail=True)
    price = ProductPrice.objects.filter(product_id=OuterRef("pk"), price_type_id=price_type_id).values("price")[:1]
    priced = Product.objects.filter(
        pk__in=ProductPrice.objects.filter(price_type_id=price_type_id).values("product_id")
    )
    changed = priced.exclude(price=Subquery(price))
    # A struck-through price no longer above the new one goes, as the import does it.
    changed.filter(old_price__lte=Subquery(price)).update(old_price=None)
    # Product's queryset notes the products it writes; catalog.changes retires their pages after commit.
    return changed.update(price=Subquery(price), updated_at=timezone.now())
