from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cart.selectors import cart_get
from orders.checkout import checkout_evaluate
from orders.forms import ACTION_PAY, ACTION_PROMO_REMOVE, ACTION_REFRESH, ACTIONS
from orders.selectors import checkout_load, region_get
from orders.state import checkout_state, checkout_state_from_post, checkout_state_save

CART_EMPTY = "Корзина пуста — добавьте товары, чтобы оформить заказ"
CHECK_ORDER = "Проверьте данные заказа"


def _evaluate(request: HttpRequest, data: dict, *, final: bool):
    region = region_get(region_id=data.get("region"))
    info = checkout_load(cart=cart_get(request=request), user=request.user, region=region)
    if not info.lines:
        return None
    return checkout_evaluate(info=info, data=data, user=request.user, final=final)


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    """The checkout page: buyer, region, delivery, promo code, points and the summary with «Оплата»."""
    state = checkout_state(request)
    action = ACTION_REFRESH
    data = state
    if request.method == "POST":
        action = request.POST.get("action")
        action = action if action in ACTIONS else ACTION_REFRESH
        data = checkout_state_from_post(request.POST, previous=state)
        if action == ACTION_PROMO_REMOVE:
            data["promo_code"] = ""
    result = _evaluate(request, data, final=action == ACTION_PAY)
    if result is None:
        messages.info(request, CART_EMPTY)
        return redirect("cart:detail")
    if request.method == "POST":
        checkout_state_save(request, data=data, region=result.info.region)
        if result.ok:
            return redirect("orders:payment" if action == ACTION_PAY else "orders:checkout")
    return render(request, "orders/checkout.html", {"result": result, "form": result.form, "info": result.info})


@require_GET
def checkout_payment(request: HttpRequest) -> HttpResponse:
    """Where «Оплата» leads: what the order will be, before the payment step creates it."""
    result = _evaluate(request, checkout_state(request), final=True)
    if result is None:
        messages.info(request, CART_EMPTY)
        return redirect("cart:detail")
    if not result.ok:
        messages.error(request, CHECK_ORDER)
        return redirect("orders:checkout")
    return render(request, "orders/checkout_payment.html", {"result": result, "info": result.info})
