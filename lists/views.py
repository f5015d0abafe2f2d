from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cart.exceptions import CartError
from cart.services import cart_add_item, cart_get_or_create
from catalog.cards import render_cards
from catalog.models import Product
from catalog.selectors import card_products
from lists.exceptions import ListError, ProductNotFound
from lists.models import ListKind
from lists.owners import request_owner
from lists.selectors import (
    EMPTY_STATE,
    compare_share_token,
    compare_shared_tables,
    compare_tables,
    favorites_list,
    lists_state,
)
from lists.services import list_remove, list_toggle, stock_subscribe
from lists.viewed import viewed_ids, viewed_record

TOLD = {
    (ListKind.FAVORITES, True): "Товар добавлен в избранное",
    (ListKind.FAVORITES, False): "Товар убран из избранного",
    (ListKind.COMPARE, True): "Товар добавлен к сравнению",
    (ListKind.COMPARE, False): "Товар убран из сравнения",
}
ALL_ADDED = "Добавлено в корзину: {count} шт."
NONE_ADDED = "Ни один товар из избранного сейчас нельзя заказать."
NOT_ADDED = "«{name}»: {message}"


def _back(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    """Where to return after an action: the page it came from when that page is ours, else `fallback`."""
    for url in (candidate, request.META.get("HTTP_REFERER")):
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return fallback


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _product_id(request: HttpRequest) -> int | None:
    value = request.POST.get("product", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def _answer(request: HttpRequest, kind: str, *, message: str, error: bool = False, status: int = 200) -> HttpResponse:
    fallback = reverse(f"lists:{kind}")
    if _wants_json(request):
        state = lists_state(owner=request_owner(request))
        ids = list(state.favorites if kind == ListKind.FAVORITES else state.compare)
        return JsonResponse({"kind": kind, "ids": ids, "message": message, "error": error}, status=status)
    (messages.error if error else messages.success)(request, message)
    return HttpResponseRedirect(_back(request, request.POST.get("back"), fallback))


@require_POST
def toggle(request: HttpRequest, kind: str) -> HttpResponse:
    product_id = _product_id(request)
    if product_id is None:
        return _answer(request, kind, message=ProductNotFound.message, error=True, status=400)
    try:
        active = list_toggle(owner=request_owner(request, create=True), kind=kind, product_id=product_id)
    except ListError as refused:
        return _answer(request, kind, message=refused.message, error=True, status=409)
    return _answer(request, kind, message=TOLD[(kind, active)])


@require_POST
def remove(request: HttpRequest, kind: str) -> HttpResponse:
    product_id = _product_id(request)
    owner = request_owner(request)
    if product_id is None or owner is None or not list_remove(owner=owner, kind=kind, product_id=product_id):
        raise Http404("Этого товара нет в вашем списке")
    return _answer(request, kind, message=TOLD[(kind, False)])


@require_GET
def favorites(request: HttpRequest) -> HttpResponse:
    products = favorites_list(owner=request_owner(request))
    return render(request, "lists/favorites.html", {"products": products})


@require_POST
def favorites_to_cart(request: HttpRequest) -> HttpResponse:
    products = favorites_list(owner=request_owner(request))
    added = 0
    cart = None
    for product in products:
        if not product.availability.can_order:
            continue
        cart = cart or cart_get_or_create(request=request)
        try:
            cart_add_item(cart=cart, product=Product(pk=product.pk), quantity=1)
        except CartError as refused:
            messages.error(request, NOT_ADDED.format(name=product.name, message=refused.message))
        else:
            added += 1
    if added:
        messages.success(request, ALL_ADDED.format(count=added))
        return HttpResponseRedirect(reverse("cart:detail"))
    messages.error(request, NONE_ADDED)
    return HttpResponseRedirect(reverse("lists:favorites"))


def _compare_page(request: HttpRequest, tables, *, shared: bool, share_url: str = "") -> HttpResponse:
    only_differences = request.GET.get("diff") == "1"
    return render(
        request,
        "lists/compare.html",
        {"tables": tables, "shared": shared, "share_url": share_url, "only_differences": only_differences},
    )


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    tables = compare_tables(owner=request_owner(request))
    ids = [product.pk for table in tables for product in table.products]
    share_url = reverse("lists:compare_shared", kwargs={"token": compare_share_token(ids)}) if ids else ""
    return _compare_page(request, tables, shared=False, share_url=request.build_absolute_uri(share_url) if ids else "")


@require_GET
def compare_shared(request: HttpRequest, token: str) -> HttpResponse:
    tables = compare_shared_tables(token=token)
    if tables is None:
        raise Http404("Ссылка на сравнение недействительна")
    return _compare_page(request, tables, shared=True)


SUBSCRIBED = "Сообщим на {email}, когда товар появится в наличии."


@require_POST
def stock_subscribe_view(request: HttpRequest) -> HttpResponse:
    product_id = _product_id(request)
    back = _back(request, request.POST.get("back"), reverse("catalog:index"))
    try:
        if product_id is None:
            raise ProductNotFound
        subscription = stock_subscribe(
            product_id=product_id, email=request.POST.get("email", "")[:254], user=request.user
        )
    except ListError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, SUBSCRIBED.format(email=subscription.email))
    return HttpResponseRedirect(back)


@never_cache
@require_GET
def viewed(request: HttpRequest) -> HttpResponse:
    """The «Вы смотрели» cards of the visitor, the product of the page (`current`) recorded first and left out."""
    value = request.GET.get("current", "")
    current = int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None
    back = request.GET.get("back", "")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = reverse("cart:detail")
    owner = request_owner(request, create=current is not None)
    if current is not None:
        viewed_record(owner=owner, product_id=current)
    ids = [pk for pk in viewed_ids(owner=owner) if pk != current]
    html = ""
    if ids:
        is_b2b = request.user.is_authenticated and request.user.is_b2b
        # Without ids: the page around the section may show the same cards, whose ids stay unique.
        html = render_cards(
            card_products(ids), is_b2b=is_b2b, csrf_token=get_token(request), next_url=back, shown=set(ids)
        )
    return HttpResponse(html)


@never_cache
@require_GET
def state(request: HttpRequest) -> HttpResponse:
    """The visitor's favourites and compare ids, for the header when the page could not tell them."""
    found = lists_state(owner=request_owner(request)) or EMPTY_STATE
    return JsonResponse({"favorites": list(found.favorites), "compare": list(found.compare)})
