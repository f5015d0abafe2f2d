"""The home page: its sections and a customer's recommendations."""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

from catalog.availability import attach_availability
from catalog.models import KitComponent, Product
from catalog.selectors.categories import category_tree
from catalog.selectors.products import product_cards


def home_sections() -> dict[str, list[Product]]:
    """Ready-made kits, new arrivals and bestsellers for the home page."""
    tree = category_tree()
    kits_node = tree.by_slug.get("gotovye-komplekty")
    kits = []
    if kits_node:
        kits = list(product_cards().filter(category_id__in=tree.descendant_ids(kits_node))[:4])
    new = list(product_cards().order_by("-created_at", "-pk")[:8])
    popular = list(product_cards().order_by("-popularity", "pk")[:8])
    return {"kits": attach_availability(kits), "new": attach_availability(new), "popular": attach_availability(popular)}


KITS_SLUG = "gotovye-komplekty"


@dataclass(frozen=True)
class RecommendationProfile:
    """All that a customer's recommendations depend on: customers with the same profile see the same ones."""

    interest_ids: tuple[int, ...]
    object_type_id: int | None


def recommendation_profile(*, user) -> RecommendationProfile | None:
    """The customer's interests and object type, or None when nothing is recommended (a guest, or neither)."""
    if not getattr(user, "is_authenticated", False):
        return None
    interest_ids = tuple(sorted(user.interests.values_list("pk", flat=True)))
    if not interest_ids and user.object_type_id is None:
        return None
    return RecommendationProfile(interest_ids=interest_ids, object_type_id=user.object_type_id)


def user_recommendations(*, user, limit: int = 8) -> list[Product]:
    """Products for the customer's interests and object type: matching kits first, then popular items."""
    return profile_recommendations(profile=recommendation_profile(user=user), limit=limit)


def profile_recommendations(*, profile: RecommendationProfile | None, limit: int = 8) -> list[Product]:
    """Products for a profile's interests and object type: matching kits first, then popular items."""
    if profile is None:
        return []
    interest_ids, object_type_id = profile.interest_ids, profile.object_type_id
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
