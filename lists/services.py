"""Every write to the lists: toggle a product, remove it, bring a guest's lists into the account."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.availability import in_stock_q, product_status, with_availability
from catalog.models import Product
from catalog.selectors import cache as catalog_cache
from core.jobs import enqueue_after_commit
from lists.exceptions import COMPARE_LIMIT, AlreadyInStock, CompareLimit, EmailNeeded, ProductNotFound
from lists.models import ListEntry, ListKind, StockSubscription
from lists.owners import Owner
from lists.selectors import GENERATION_SECONDS, state_keys
from notices.models import Event, Kind
from notices.services import Message, Recipient, notice_send, notice_text


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


# Whether any subscription waits for stock: lets a catalogue change skip the query when none does.
WAITING_KEY = "lists:stock-subscriptions-waiting"


@transaction.atomic
def stock_subscribe(*, product_id: int, email: str, user=None) -> StockSubscription:
    """Ask to be told when a product out of stock or under order arrives; the account's email when none given."""
    product = with_availability(Product.objects.filter(pk=product_id, is_active=True)).first()
    if product is None:
        raise ProductNotFound
    status = product_status(product)
    if status.can_order and not status.lead_days:
        raise AlreadyInStock
    email = (email or "").strip().lower() or (user.email if user is not None and user.is_authenticated else "")
    if not email:
        raise EmailNeeded
    subscription = StockSubscription(product=product, email=email, user=user if user and user.pk else None)
    try:
        subscription.full_clean(exclude=["product", "user"], validate_constraints=False)
    except ValidationError:
        raise EmailNeeded("Проверьте email: в нём ошибка.") from None
    existing = StockSubscription.objects.filter(product=product, email=email, notified_at__isnull=True).first()
    if existing is not None:
        return existing
    subscription.save()
    # Now and again after commit: a change that found nobody waiting meanwhile may have cleared the mark.
    catalog_cache.set(WAITING_KEY, True, None)
    transaction.on_commit(lambda: catalog_cache.set(WAITING_KEY, True, None))
    return subscription


def stock_arrivals_notify() -> int:
    """Tell every subscriber whose product is now in stock, once, after commit; returns how many were claimed.

    Runs after every committed catalogue change (admin, CSV, 1C import, stock services); a claim is a
    conditional UPDATE, so two changes at once never tell anyone twice, and the subscription ends with it.
    """
    if catalog_cache.get(WAITING_KEY) is False:
        return 0
    waiting = StockSubscription.objects.filter(notified_at__isnull=True)
    in_stock = Product.objects.filter(in_stock_q(), is_active=True, pk__in=waiting.values("product_id"))
    arrived = list(waiting.filter(product__in=in_stock).values_list("pk", flat=True)[:500])
    if not arrived:
        if not StockSubscription.objects.filter(notified_at__isnull=True).exists():
            catalog_cache.set(WAITING_KEY, False, None)
        return 0
    claimed = 0
    for pk in arrived:
        with transaction.atomic():
            if StockSubscription.objects.filter(pk=pk, notified_at__isnull=True).update(notified_at=timezone.now()):
                enqueue_after_commit("lists.stock_arrived", subscription_id=pk)
                claimed += 1
    return claimed


def stock_arrived_send(*, subscription_id: int) -> int:
    """Tell the subscriber of a claimed subscription that the product is in stock (email, or the account's choice
    through the notices app), once however often the task runs; returns the notices recorded."""
    subscription = StockSubscription.objects.select_related("product", "user").filter(pk=subscription_id).first()
    if subscription is None or subscription.notified_at is None:
        return 0
    product = subscription.product
    url = stock_product_url(product)
    notice = notice_send(
        key=f"stock:{subscription.pk}",
        event=Event.STOCK_ARRIVED,
        kind=Kind.STOCK,
        recipient=Recipient(
            user_id=subscription.user_id,
            email=subscription.email,
            phone=(subscription.user.phone or "") if subscription.user_id else "",
        ),
        message=Message(
            text=notice_text(event=Event.STOCK_ARRIVED, context={"product": product.name, "url": url}),
            subject=f"{product.name} — снова в наличии",
            email_text=(
                f"Здравствуйте!\n\nТовар «{product.name}», о поступлении которого вы просили сообщить, "
                f"снова в наличии.\n{url}\n\nОхрана Плюс"
            ),
        ),
        target=subscription,
    )
    return 0 if notice is None else 1


def stock_product_url(product) -> str:
    """The product's page as an absolute address for a letter."""
    return f"{settings.SHOP_URL_SCHEME}://{settings.SHOP_DOMAIN}{product.get_absolute_url()}"
