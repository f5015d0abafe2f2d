from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cart.exceptions import CartError, CartLineNotFound
from cart.forms import CartAddForm, CartLineQuantityForm
from cart.selectors import cart_detail as cart_detail_read
from cart.selectors import cart_get, product_for_cart
from cart.services import cart_add_item, cart_get_or_create, cart_prune, cart_remove_line, cart_set_quantity

ADDED = "Товар добавлен в корзину"
UPDATED = "Количество обновлено"
REMOVED = "Товар «{name}» удалён из корзины"
PRUNED = "Товар «{name}» больше не продаётся и удалён из корзины"


def _back(request: HttpRequest, candidate: str | None) -> str:
    """Where to return after an action: the page it came from when that page is ours, else the cart."""
    for url in (candidate, request.META.get("HTTP_REFERER")):
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return reverse("cart:detail")


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = CartAddForm(request.POST)
    form.is_valid()
    product_id = form.cleaned_data.get("product")
    if product_id is None:
        raise Http404("Товар не найден")
    product = product_for_cart(product_id=product_id)
    if product is None:
        raise Http404("Товар не найден")
    back = _back(request, request.POST.get("next"))
    if "quantity" in form.errors:
        messages.error(request, form.errors["quantity"][0])
        return HttpResponseRedirect(back)
    try:
        cart_add_item(cart=cart_get_or_create(request=request), product=product, quantity=form.cleaned_data["quantity"])
    except CartError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ADDED)
    return HttpResponseRedirect(back)


@require_GET
def cart_detail(request: HttpRequest) -> HttpResponse:
    detail = cart_detail_read(request=request)
    if detail.gone:
        for name in cart_prune(cart=detail.cart):
            messages.warning(request, PRUNED.format(name=name))
    return render(
        request, "cart/cart_detail.html", {"detail": detail, "cart_count": detail.count, "cart_summary": detail.summary}
    )


def _own_cart(request: HttpRequest):
    cart = cart_get(request=request)
    if cart is None:
        raise Http404("Корзина пуста")
    return cart


@require_POST
def cart_line_update(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = _own_cart(request)
    form = CartLineQuantityForm(request.POST)
    form.is_valid()
    try:
        # A bad quantity arrives as 0, which the service refuses only after finding the line
        # in this cart, so another visitor's line answers 404 whatever the quantity.
        cart_set_quantity(cart=cart, line_id=line_id, quantity=form.cleaned_data.get("quantity", 0))
    except CartLineNotFound:
        raise Http404("Такой строки в корзине нет") from None
    except CartError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, UPDATED)
    return HttpResponseRedirect(reverse("cart:detail"))


@require_POST
def cart_line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = _own_cart(request)
    try:
        name = cart_remove_line(cart=cart, line_id=line_id)
    except CartLineNotFound:
        raise Http404("Такой строки в корзине нет") from None
    messages.success(request, REMOVED.format(name=name))
    return HttpResponseRedirect(reverse("cart:detail"))
