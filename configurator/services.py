"""Writes of the configurator: save a configuration, put a kit in the cart."""

from django.db import transaction

from cart.models import Cart
from cart.services import cart_add_item
from catalog.models import Product
from configurator import kit as k
from configurator.models import SavedConfiguration


def _snapshot(kit: k.Kit | None) -> list[dict]:
    if kit is None:
        return []
    return [
        {
            "role": k.ROLE_LABELS[line.role],
            "product_id": line.part.product_id,
            "sku": line.part.sku,
            "name": line.part.name,
            "quantity": line.quantity,
            "price": str(line.part.price),
            "note": line.note,
        }
        for line in kit.lines
    ]


def configuration_save(*, answers: dict, kit: k.Kit | None, user=None, region=None) -> SavedConfiguration:
    """Keep the answers and the kit they gave, behind a link that opens the same configuration."""
    saved = SavedConfiguration(
        user=user if user is not None and user.is_authenticated else None,
        region=region,
        answers=answers,
        kit_lines=_snapshot(kit),
        camera_count=sum(line.quantity for line in kit.lines if line.role == k.CAMERA) if kit else 0,
        total=kit.total if kit else 0,
        passes=bool(kit and kit.ok),
    )
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def configuration_add_to_cart(*, cart: Cart, kit: k.Kit) -> int:
    """Put every part of the kit in the cart with its quantity, all or none; return the units added."""
    units = 0
    for line in sorted(kit.lines, key=lambda line: line.part.product_id):
        cart_add_item(cart=cart, product=Product(pk=line.part.product_id), quantity=line.quantity)
        units += line.quantity
    return units
