"""Reads about customers: recommendations and role."""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

from accounts.models import ConsentRecord
from catalog.models import KitComponent, Product
from catalog.selectors import attach_availability, category_tree, product_cards

KITS_SLUG = "gotovye-komplekty"


def user_recommendations(*, user, limit: int = 8) -> list[Product]:
    """Products for the customer's interests and object type: matching kits first, then popular items."""
    if not getattr(user, "is_authenticated", False):
        return []
    interest_ids = list(user.interests.values_list("pk", flat=True))
    object_type_id = user.object_type_id
    if not interest_ids and object_type_id is None:
        return []
    tree = category_tree()
    interest_category_ids: list[int] = []
    for category_id in interest_ids:
        node = tree.by_id.get(category_id)
        if node is not None:
            interest_category_ids.extend(tree.descendant_ids(node))
    kits_node = tree.by_slug.get(KITS_SLUG)
    kit_category_ids = tree.descendant_ids(kits_node) if kits_node else []

    is_kit = Q(category_id__in=kit_category_ids)
    fits_object = Q(
        Exists(Product.object_types.through.objects.filter(product_id=OuterRef("pk"), objecttype_id=object_type_id))
    )
    if interest_category_ids:
        # A kit belongs to an interest when one of its components does (a CCTV kit holds cameras).
        kit_serves_interest = Exists(
            KitComponent.objects.filter(kit_id=OuterRef("pk"), product__category_id__in=interest_category_ids)
        )
        wanted = Q(category_id__in=interest_category_ids) | (is_kit & Q(kit_serves_interest))
    else:
        wanted = fits_object
    queryset = product_cards().filter(wanted)
    if object_type_id is not None:
        queryset = queryset.annotate(
            fits=Case(When(fits_object, then=Value(True)), default=Value(False), output_field=BooleanField()),
        )
    else:
        queryset = queryset.annotate(fits=Value(False, output_field=BooleanField()))
    queryset = queryset.annotate(
        kit=Case(When(is_kit, then=Value(True)), default=Value(False), output_field=BooleanField()),
        fitting_kit=Case(
            When(is_kit & Q(fits=True), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    ).order_by("-fitting_kit", "-fits", "-kit", "-popularity", "pk")
    return attach_availability(list(queryset[:limit]))


def consent_current(*, user) -> ConsentRecord | None:
    """The consent the customer has given and not withdrawn."""
    return ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).first()
