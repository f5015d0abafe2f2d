from decimal import Decimal

from allauth.account import app_settings as allauth_settings
from allauth.account.utils import complete_signup
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cart.selectors import cart_get
from core.http import client_ip
from core.services import staff_download_record
from orders.checkout import CheckoutResult, checkout_evaluate
from orders.documents import document_current, order_for_staff
from orders.exceptions import (
    CheckoutInvalid,
    OrderAccountLoginTaken,
    OrderAccountNoLogin,
    OrderAccountRefused,
    OrderError,
    ReturnRefused,
)
from orders.forms import (
    ACTION_PAY,
    ACTION_PROMO_REMOVE,
    ACTION_REFRESH,
    ACTIONS,
    OrderAccountForm,
    PaymentMethodForm,
    ReturnForm,
)
from orders.models import DocumentKind, OrderStatus, PaymentMethod
from orders.selectors import (
    checkout_forget,
    checkout_info,
    order_by_link,
    order_for_visitor,
    return_units_left,
    visitor_orders,
    visitor_remember_order,
)
from orders.services import order_cancel, order_place, order_return_request
from orders.services.account import order_account_create, order_login
from orders.services.placement import ON_RECEIPT_DELIVERY
from orders.state import SESSION_KEY, checkout_state, checkout_state_from_post, checkout_state_save

CART_EMPTY = "Корзина пуста — добавьте товары, чтобы оформить заказ"
CHECK_ORDER = "Проверьте данные заказа"
PLACED_ONLINE = "Заказ оформлен, товары зарезервированы на 30 минут — оплатите его"
PLACED = "Заказ оформлен"
ACCOUNT_CREATED = "Аккаунт создан, заказ {number} теперь в «Моих заказах»"


def _evaluate(request: HttpRequest, data: dict, *, final: bool):
    info = checkout_info(cart=cart_get(request=request), user=request.user, region_id=data.get("region"))
    if not info.lines:
        return None
    if "courier_address" not in data:  # a state from the profile: offer the last address
        data = {**data, "courier_address": info.last_address}
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


def _method_choices(result: CheckoutResult) -> list[tuple[str, str]]:
    choices = [(PaymentMethod.CARD.value, "Банковская карта"), (PaymentMethod.SBP.value, "СБП — по QR-коду")]
    if result.is_company:
        choices.append((PaymentMethod.INVOICE.value, "Счёт для юрлиц — оплата переводом"))
    if result.offer is not None and result.offer.kind in ON_RECEIPT_DELIVERY:
        choices.append((PaymentMethod.ON_RECEIPT.value, "При получении — наличными или картой"))
    return choices


@require_http_methods(["GET", "POST"])
def checkout_payment(request: HttpRequest) -> HttpResponse:
    """«Оплата»: what the order will be and how to pay; confirming places the order in one transaction."""
    state = checkout_state(request)
    failure = None
    if request.method == "POST":
        placed, failure = _confirm(request, state)
        if placed is not None:
            return placed
    result = _evaluate(request, state, final=True)
    if result is None:
        order = _order_of_emptied_cart(request, state) if request.method == "POST" and failure is None else None
        if order is not None:
            return _placed(request, order)
        messages.info(request, CART_EMPTY)
        return redirect("cart:detail")
    # Stock that ran out meanwhile is named by the placement itself, with how many are left.
    if result.form.errors or (not result.ok and request.method == "GET"):
        messages.error(request, CHECK_ORDER)
        return redirect("orders:checkout")
    form = PaymentMethodForm(
        request.POST or None,
        choices=_method_choices(result),
        total=result.pricing.total,
        ask_email=not result.form.cleaned_data.get("email"),
    )
    if request.method == "POST" and form.is_valid():
        if failure is None:
            placed, failure = _confirm(request, state, form=form)
            if placed is not None:
                return placed
        if failure is not None:
            form.add_error(failure.field if failure.field in form.fields else None, failure.message)
    return render(request, "orders/checkout_payment.html", {"result": result, "info": result.info, "method_form": form})


# Every method the placement itself may accept: it refuses what this checkout does not allow.
ALL_METHODS = [(method.value, method.label) for method in PaymentMethod]


def _confirm(request: HttpRequest, state: dict, *, form: PaymentMethodForm | None = None):
    """Place the order straight away, as the placement re-checks everything in its transaction: (the answer,
    None) when placed, (None, the refusal) when refused, (None, None) when the page must be shown first."""
    if form is None:
        form = PaymentMethodForm(request.POST, choices=ALL_METHODS, total=Decimal(0), ask_email=not state.get("email"))
        if not form.is_valid():
            return None, None
    cart = cart_get(request=request)
    if cart is None:
        return None, None
    data = state
    if form.cleaned_data.get("receipt_email"):
        data = {**state, "email": form.cleaned_data["receipt_email"]}
    try:
        order = order_place(
            cart_id=cart.pk,
            user=request.user,
            data=data,
            method=form.cleaned_data["payment_method"],
            expected_total=form.cleaned_data["expected_total"],
        )
    except CheckoutInvalid:
        checkout_forget(cart_id=cart.pk, region_id=data.get("region"))
        messages.error(request, CHECK_ORDER)
        return redirect("orders:checkout"), None
    except OrderError as error:
        checkout_forget(cart_id=cart.pk, region_id=data.get("region"))
        return None, error
    # A repeated confirm answers with the cart's recent order: only ever the visitor's own.
    if order.user_id is not None and order.user_id != request.user.pk:
        return None, None
    return _placed(request, order), None


def _order_of_emptied_cart(request: HttpRequest, state: dict):
    """A confirm repeated after the cart became an order (another tab, a double click) stands for that order."""
    cart = cart_get(request=request)
    if cart is None:
        return None
    try:
        # No payment method: the call answers with the cart's recent order or refuses; it never places one,
        # even if goods were put into the cart again meanwhile.
        order = order_place(cart_id=cart.pk, user=request.user, data=state, method="")
    except OrderError:
        return None
    # The cart is the visitor's own; an order of somebody's account is never theirs to see.
    if order.user_id is not None and order.user_id != request.user.pk:
        return None
    return order


def _placed(request: HttpRequest, order) -> HttpResponse:
    visitor_remember_order(request.session, order.number)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, PLACED_ONLINE if order.can_pay else PLACED)
    return redirect(order)


@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    """«Мои заказы»: the visitor's orders, newest first."""
    orders = visitor_orders(user=request.user, session=request.session).order_by("-created_at", "-pk")[:100]
    return render(request, "orders/order_list.html", {"orders": orders})


@require_GET
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One order: lines, status timeline, payment retry, documents, cancellation."""
    order = order_for_visitor(user=request.user, session=request.session, number=number)
    return render(request, "orders/order_detail.html", {"order": order, "account_form": _account_offer(request, order)})


def _account_offer(request: HttpRequest, order, data=None) -> OrderAccountForm | None:
    """The offer of an account made from the order: to the guest who placed it, in that session, once."""
    if request.user.is_authenticated or order.user_id is not None:
        return None
    try:
        order_login(order)
    except OrderAccountNoLogin:
        # Only a landline to log in with: the signup page asks for an email or a mobile number.
        return None
    return OrderAccountForm(data, order=order)


@require_POST
def order_account(request: HttpRequest, number: str) -> HttpResponse:
    """«Создать аккаунт» after a guest's order: one password; the order becomes the account's, the person signs in."""
    order = order_for_visitor(user=request.user, session=request.session, number=number)
    form = _account_offer(request, order, request.POST)
    if form is None:
        raise Http404("Нет такого заказа")
    if form.is_valid():
        try:
            user, order = order_account_create(
                order_id=order.pk,
                password=form.cleaned_data["password"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except OrderAccountLoginTaken as error:
            form.login_taken = True
            form.add_error(None, error.message)
        except OrderAccountRefused:
            raise Http404("Нет такого заказа") from None
        else:
            messages.success(request, ACCOUNT_CREATED.format(number=order.number))
            return complete_signup(
                request,
                user=user,
                email_verification=allauth_settings.EMAIL_VERIFICATION,
                success_url=order.get_absolute_url(),
            )
    return render(request, "orders/order_detail.html", {"order": order, "account_form": form})


@require_POST
def order_cancel_view(request: HttpRequest, number: str) -> HttpResponse:
    order = order_for_visitor(user=request.user, session=request.session, number=number)
    try:
        order_cancel(order_id=order.pk, author=request.user)
    except OrderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Заказ {order.number} отменён")
    return redirect(order)


@require_GET
def order_document(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """A document of the visitor's own order (or any, for staff) as a PDF; 404 for anyone else or one not made yet."""
    staff = request.user.is_staff and request.user.has_perm("orders.view_order")
    try:
        order = order_for_visitor(user=request.user, session=request.session, number=number)
    except Http404:
        if not staff:
            raise
        order = order_for_staff(number=number)
    if kind not in DocumentKind.values:
        raise Http404("Нет такого документа")
    document = document_current(order=order, kind=kind)
    if document is None or not document.file:
        raise Http404("Документ ещё готовится")
    response = FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{kind}-{order.number}.pdf"
    )
    if staff and order.user_id != request.user.pk:
        what = f"{document.get_kind_display()} к заказу {order.number}"
        staff_download_record(user=request.user, what=what, path=request.path)
    return response


RETURN_REQUESTED = "Заявка на возврат принята. Передайте товар в магазин — деньги вернутся, когда магазин его примет"


@require_http_methods(["GET", "POST"])
def order_return(request: HttpRequest, number: str) -> HttpResponse:
    """«Вернуть товар»: choose units of a received order and say why; staff accept when the goods arrive."""
    order = order_for_visitor(user=request.user, session=request.session, number=number)
    left = return_units_left(order=order)
    deadline = order.return_deadline
    if order.status != OrderStatus.COMPLETED or deadline is None or timezone.now() > deadline or not left:
        messages.error(request, ReturnRefused.message)
        return redirect(order)
    form = ReturnForm(request.POST or None, order=order, left=left)
    if request.method == "POST" and form.is_valid():
        try:
            order_return_request(order_id=order.pk, quantities=form.quantities(), reason=form.cleaned_data["reason"])
        except ReturnRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, RETURN_REQUESTED)
            return redirect(order)
    return render(request, "orders/order_return.html", {"order": order, "form": form, "deadline": deadline})


@require_GET
def order_by_secret(request: HttpRequest, number: str, secret: str) -> HttpResponse:
    """A guest's emailed link: opens the order, its documents and payment in any browser, as the session that
    placed it could; it signs nobody in."""
    order = order_by_link(number=number, secret=secret)
    visitor_remember_order(request.session, order.number)
    return redirect(order)
