"""Every write to the lists: toggle a product, remove it, bring a guest's lists into the account."""

import time

from django.db import IntegrityError, transaction

from catalog.models import Product
from catalog.selectors import cache as catalog_cache
from lists.exceptions import COMPARE_LIMIT, CompareLimit, ProductNotFound
from lists.models import ListEntry, ListKind
from lists.owners import Owner
from lists.selectors import GENERATION_SECONDS, state_keys


def lists_changed(*, owner: Owner) -> None:
    """Retire the owner's cached lists state now and again once the transaction commits."""
    generation_key = state_keys(owner.cache_name)[0]

    def retire():
        catalog_cache.set(generation_key, time.time_ns(), GENERATION_SECONDS)

    # Now, so this request's own answer shows the change; after commit, so that an entry another request
    # read meanwhile from the rows before the commit is never taken for the new state.
    retire()
    transaction.on_commit(retire)


def _product(product_id: int) -> Product:
    product = Product.objects.filter(pk=product_id, is_active=True).only("pk", "price", "category_id").first()
    if product is None:
        raise ProductNotFound
    return product


@transaction.atomic
def list_add(*, owner: Owner, kind: str, product_id: int) -> ListEntry:
    """Put a product in a list; compare takes at most COMPARE_LIMIT products of one category."""
    product = _product(product_id)
    entries = ListEntry.objects.filter(owner.q(), kind=kind)
    existing = entries.filter(product_id=product.pk).first()
    if existing is not None:
        return existing
    if kind == ListKind.COMPARE and entries.filter(product__category_id=product.category_id).count() >= COMPARE_LIMIT:
        raise CompareLimit
    entry = ListEntry(kind=kind, product=product, price_added=product.price, **owner.fields())
    entry.full_clean(exclude=["product", "user"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # The same product added at the same moment from another tab: it is in the list.
        entry = entries.get(product_id=product.pk)
    lists_changed(owner=owner)
    return entry


@transaction.atomic
def list_remove(*, owner: Owner, kind: str, product_id: int) -> bool:
    """Take a product out of a list; whether it was there."""
    deleted, _ = ListEntry.objects.filter(owner.q(), kind=kind, product_id=product_id).delete()
    if deleted:
        lists_changed(owner=owner)
    return bool(deleted)


@transaction.atomic
def list_toggle(*, owner: Owner, kind: str, product_id: int) -> bool:
    """Add the product when it is not in the list, take it out when it is; whether it is in now."""
    if list_remove(owner=owner, kind=kind, product_id=product_id):
        return False
    list_add(owner=owner, kind=kind, product_id=product_id)
    return True


@transaction.atomic
def lists_merge_guest(*, session_key: str | None, user) -> int:
    """At login, move the guest's favourites and compare list into the account; returns how many came over.

    A product already in the account's list stays as it was; compare keeps at most COMPARE_LIMIT per category.
    """
    if not session_key:
        return 0
    guest = Owner(session_key=session_key)
    account = Owner(user_id=user.pk)
    moved = 0
    guest_entries = list(ListEntry.objects.filter(guest.q()).select_related("product").order_by("created_at", "pk"))
    if not guest_entries:
        return 0
    kept = ListEntry.objects.filter(account.q()).select_related("product")
    present = {(entry.kind, entry.product_id) for entry in kept}
    per_category: dict[int, int] = {}
    for entry in kept:
        if entry.kind == ListKind.COMPARE:
            per_category[entry.product.category_id] = per_category.get(entry.product.category_id, 0) + 1
    for entry in guest_entries:
        if (entry.kind, entry.product_id) in present:
            continue
        if entry.kind == ListKind.COMPARE:
            category = entry.product.category_id
            if per_category.get(category, 0) >= COMPARE_LIMIT:
                continue
            per_category[category] = per_category.get(category, 0) + 1
        ListEntry.objects.filter(pk=entry.pk).update(user_id=user.pk, session_key="")
        moved += 1
    ListEntry.objects.filter(guest.q()).delete()
    lists_changed(owner=guest)
    lists_changed(owner=account)
    return moved
