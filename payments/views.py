import logging
from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from orders.selectors import order_for_visitor
from payments.exceptions import PaymentError, PaymentNotNeeded, ReservationExpired
from payments.forms import SandboxCardForm
from payments.models import PaymentStatus
from payments.providers.base import DECLINED as DECLINED_STATUS
from payments.providers.sandbox import (
    DECLINED_REASON,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    card_outcome,
    sandbox_callback,
)
from payments.selectors import payment_for_visitor
from payments.services import payment_receive, payment_start

logger = logging.getLogger(__name__)

PAID = "Оплата прошла — спасибо! Заказ оплачен."
DECLINED = "Оплата не прошла: {reason}. Можно повторить оплату."
WAITING = "Ждём подтверждения оплаты от банка — обновите страницу через минуту."
ALREADY_PAID = "Этот платёж уже завершён"
HOLD_RELEASED = "Заказ больше нельзя выполнить — деньги не списаны, банк снял удержание"


def _provider_on(is_on):
    """Answer 404 while the provider is off: its pages and webhook do not exist for the outside world."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_on():
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _sandbox_on() -> bool:
    return settings.PAYMENT_SANDBOX_ALLOWED


def _yookassa_on() -> bool:
    return bool(settings.YOOKASSA_SHOP_ID and settings.YOOKASSA_SECRET_KEY)


@require_POST
def payment_begin(request: HttpRequest, number: str) -> HttpResponse:
    """«Оплатить» / «Повторить оплату»: the order's one pending payment, then the provider's page."""
    order = order_for_visitor(user=request.user, session=request.session, number=number)
    return_url = request.build_absolute_uri(reverse("orders:detail", kwargs={"number": order.number}))
    try:
        payment = payment_start(order=order, return_url=return_url)
    except PaymentNotNeeded as done:
        messages.success(request, done.message)
        return redirect(order)
    except PaymentError as error:
        messages.error(request, error.message)
        return redirect(order)
    return redirect(payment.confirmation_url)


def _sandbox_notify(payment, status: str, reason: str = "") -> None:
    """Send the shop the sandbox's signed callback, through the same check a provider's would pass."""
    body, headers = sandbox_callback(
        external_id=payment.external_id, status=status, amount=payment.amount, currency=payment.currency, reason=reason
    )
    payment_receive(provider_name="sandbox", body=body, headers=headers)


@_provider_on(_sandbox_on)
@require_http_methods(["GET", "POST"])
def sandbox_page(request: HttpRequest, external_id: str) -> HttpResponse:
    """The sandbox's hosted payment page: a card form, or for СБП a QR code and «Подтвердить в банке»."""
    payment = payment_for_visitor(
        user=request.user, session=request.session, external_id=str(external_id)[:64], provider="sandbox"
    )
    if payment.status != PaymentStatus.PENDING:
        messages.info(request, ALREADY_PAID)
        return redirect("payments:return", public_id=payment.public_id)
    if not payment.order.can_pay or (
        payment.order.reserved_until is not None and payment.order.reserved_until <= timezone.now()
    ):
        messages.error(request, ReservationExpired.message)
        return redirect(payment.order)
    form = SandboxCardForm(request.POST or None)
    if request.method == "POST":
        if payment.method == "sbp" and request.POST.get("action") == "confirm":
            _sandbox_notify(payment, "succeeded")
            return redirect("payments:return", public_id=payment.public_id)
        if payment.method == "card" and form.is_valid():
            outcome = card_outcome(form.cleaned_data["number"])
            _sandbox_notify(payment, outcome, DECLINED_REASON if outcome == DECLINED_STATUS else "")
            return redirect("payments:return", public_id=payment.public_id)
    qr = None
    if payment.method == "sbp":
        qr = segno.make(f"https://qr.nspk.ru/sandbox/{payment.external_id}?sum={payment.amount}").svg_inline(scale=5)
    return render(
        request, "payments/sandbox.html", {"payment": payment, "order": payment.order, "form": form, "qr": qr}
    )


@require_GET
def payment_return(request: HttpRequest, public_id) -> HttpResponse:
    """Where the provider sends the buyer back: the payment's status as the shop recorded it, never the redirect."""
    payment = payment_for_visitor(user=request.user, session=request.session, public_id=public_id)
    if payment.status == PaymentStatus.SUCCEEDED:
        messages.success(request, PAID)
    elif payment.status == PaymentStatus.CANCELLED:
        messages.error(request, HOLD_RELEASED)
    elif payment.status == PaymentStatus.DECLINED:
        messages.error(request, DECLINED.format(reason=payment.decline_reason or "банк отклонил платёж"))
    else:
        messages.info(request, WAITING)
    return redirect(payment.order)


@csrf_exempt
@_provider_on(_yookassa_on)
@require_POST
def yookassa_webhook(request: HttpRequest) -> HttpResponse:
    """YooKassa's notifications; each is trusted only after the payment is read back from the API."""
    payment_receive(provider_name="yookassa", body=request.body, headers={})
    return HttpResponse("ok")


@csrf_exempt
@_provider_on(_sandbox_on)
@require_POST
def sandbox_webhook(request: HttpRequest) -> HttpResponse:
    """The sandbox's callback endpoint; answers 200 to anything, trusting only what verifies."""
    headers = {name: request.headers.get(name, "") for name in (TIMESTAMP_HEADER, SIGNATURE_HEADER)}
    payment_receive(provider_name="sandbox", body=request.body, headers=headers)
    return HttpResponse("ok")
