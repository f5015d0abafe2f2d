"""«Оплата»: the whole order placed in one transaction, or nothing written at all."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cart.services import cart_clear, cart_lock
from catalog.exceptions import StockShort
from catalog.services import StockRequest, stock_reserve
from core.banking import add_working_days
from core.jobs import enqueue_after_commit
from delivery.exceptions import DeliveryError
from delivery.models import DeliveryKind
from delivery.services import courier_window_book
from loyalty.exceptions import PointsError
from loyalty.services import points_hold
from orders.checkout import CheckoutResult, checkout_evaluate
from orders.exceptions import (
    CartEmpty,
    CheckoutInvalid,
    InvoiceForCompaniesOnly,
    MethodNotAllowed,
    OnReceiptNotForDelivery,
    OrderError,
    OrderTotalChanged,
)
from orders.models import ONLINE_METHODS, Order, OrderLine, OrderStatus, OrderStatusChange, PaymentMethod
from orders.selectors import checkout_load, checkout_region
from promotions.exceptions import PromoError
from promotions.selectors import customer_key
from promotions.services import promo_redeem

ONLINE_HOLD = datetime.timedelta(minutes=30)
# Payment on receipt is possible where the shop's own people hand the goods over.
ON_RECEIPT_DELIVERY = frozenset({DeliveryKind.COURIER, DeliveryKind.PICKUP})
COURIER_ADDRESS = frozenset({DeliveryKind.COURIER, DeliveryKind.POST})
# A repeated «Оплата» of a cart that has just become an order answers with that order.
REPEAT_WINDOW = datetime.timedelta(minutes=30)


def _add_banking_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    # Counted in the local calendar: a holiday is a day in Moscow, not in UTC.
    return add_working_days(timezone.localtime(moment), days)


def reservation_expiry(*, method: str, now: datetime.datetime) -> datetime.datetime | None:
    """30 minutes for online payment, INVOICE_PAYMENT_DAYS Russian working days for an invoice (the invoice says
    the same), until handover for payment on receipt."""
    if method in (PaymentMethod.CARD, PaymentMethod.SBP):
        return now + ONLINE_HOLD
    if method == PaymentMethod.INVOICE:
        return _add_banking_days(now, settings.INVOICE_PAYMENT_DAYS)
    return None


def _check_method(method: str, result: CheckoutResult) -> PaymentMethod:
    try:
        method = PaymentMethod(method)
    except ValueError:
        raise MethodNotAllowed from None
    if method == PaymentMethod.INVOICE and not result.is_company:
        raise InvoiceForCompaniesOnly
    if method == PaymentMethod.ON_RECEIPT and result.offer.kind not in ON_RECEIPT_DELIVERY:
        raise OnReceiptNotForDelivery
    return method


def _order(result: CheckoutResult, *, user, cart_id: int, method: str, expires_at) -> Order:
    data = result.form.cleaned_data
    pricing = result.pricing
    offer = result.offer
    point = data.get("pickup_point") if offer.kind in (DeliveryKind.PICKUP, DeliveryKind.POINT) else None
    company = result.is_company
    order = Order.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        cart_id=cart_id,
        status=OrderStatus.ACCEPTED if method == PaymentMethod.ON_RECEIPT else OrderStatus.AWAITING_PAYMENT,
        payment_method=method,
        is_company=company,
        full_name=data.get("full_name") or "" if not company else data.get("contact_name") or "",
        email=data.get("email") or "",
        phone=data.get("phone") or "",
        company_name=data.get("company_name") or "" if company else "",
        inn=data.get("inn") or "" if company else "",
        kpp=data.get("kpp") or "" if company else "",
        legal_address=data.get("legal_address") or "" if company else "",
        contact_name=data.get("contact_name") or "" if company else "",
        region=result.info.region,
        delivery_kind=offer.kind,
        delivery_name=offer.name,
        pickup_point=point,
        pickup_address=f"{point.name}, {point.address}" if point else "",
        courier_address=data.get("courier_address") or "" if offer.kind in COURIER_ADDRESS else "",
        promo_code=result.promo.code if result.promo else "",
        points=pricing.points,
        earns=pricing.earns,
        goods=pricing.goods,
        discount=pricing.discount,
        delivery_cost=pricing.delivery,
        delivery_vat=pricing.delivery_vat,
        total=pricing.total,
        vat=pricing.vat,
        reserved_until=expires_at,
    )
    # The human number follows the row's id, so it is unique without a table-wide lock.
    order.number = f"{order.created_at.year}-{order.pk:06d}"
    Order.objects.filter(pk=order.pk).update(number=order.number)
    return order


def _lines(order: Order, result: CheckoutResult) -> None:
    products = {line.product.pk: line.product for line in result.info.lines}
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=products[priced.key],
            name=priced.name,
            sku=products[priced.key].sku,
            is_service=products[priced.key].is_service,
            price=priced.price,
            quantity=priced.quantity,
            gross=priced.gross,
            discount=priced.discount,
            points=priced.points,
            total=priced.total,
            vat_rate=priced.vat_rate,
            vat=priced.vat,
            warranty_months=products[priced.key].warranty_months,
        )
        for priced in result.pricing.lines
    )


def _hold_the_rest(order: Order, result: CheckoutResult, *, user, now: datetime.datetime) -> None:
    """Use the promo code, hold the points and book the courier window; each refusal names its field."""
    data = result.form.cleaned_data
    changes = {}
    if result.promo is not None:
        key = customer_key(user=user, email=data.get("email") or "", phone=data.get("phone") or "")
        try:
            redemption = promo_redeem(code=result.promo.code, customer_key=key, user=user, now=now)
        except PromoError as error:
            raise OrderError(error.message, field="promo_code") from error
        changes["promo_redemption"] = redemption
    if result.pricing.points:
        try:
            changes["points_hold"] = points_hold(user=user, amount=result.pricing.points, note=f"Заказ {order.number}")
        except PointsError as error:
            raise OrderError(error.message, field="points") from error
    window = data.get("window") if result.offer.kind == DeliveryKind.COURIER else None
    if window is not None:
        try:
            changes["window"] = courier_window_book(
                zone=result.info.zone, date=window.date, slot=window.slot, today=timezone.localdate(now)
            )
        except DeliveryError as error:
            raise OrderError(error.message, field="window") from error
    for name, value in changes.items():
        setattr(order, name, value)
    if changes:
        order.save(update_fields=list(changes))


@transaction.atomic
def order_place(
    *,
    cart_id: int,
    user,
    data: dict,
    method: str,
    now: datetime.datetime | None = None,
    expected_total: Decimal | None = None,
) -> Order:
    """Place the order of a cart: re-check everything, snapshot the lines, reserve stock, take promo,
    points and window, empty the cart. Raises OrderError (StockShort's message included) and writes nothing.

    The cart's row is locked first, so the same cart sent ten times at once makes one order.
    `expected_total` is the total the buyer was shown; a different one now refuses with OrderTotalChanged.
    """
    now = now or timezone.now()
    cart = cart_lock(cart_id=cart_id)
    if cart is None:
        raise CartEmpty
    today = timezone.localdate(now)
    # The cart, its prices and the stock afresh; the region's tariffs and points as the buyer was shown them.
    reads = checkout_region(region_id=data.get("region"), today=today)
    info = checkout_load(cart=cart, user=user, region=reads.region, today=today, reads=reads)
    if not info.lines:
        if not cart.lines.exists():
            repeated = Order.objects.filter(cart_id=cart_id, created_at__gte=now - REPEAT_WINDOW)
            repeated = repeated.order_by("-pk").first()
            if repeated is not None:
                return repeated
        raise CartEmpty
    result = checkout_evaluate(info=info, data=data, user=user, final=True)
    # Lines the region cannot have are left to the reservation below, whose refusal says how many are left.
    if result.form.errors:
        raise CheckoutInvalid(errors=result.form.errors)
    if expected_total is not None and result.pricing.total != expected_total:
        raise OrderTotalChanged(old=expected_total, new=result.pricing.total)
    method = _check_method(method, result)
    expires_at = reservation_expiry(method=method, now=now)
    order = _order(result, user=user, cart_id=cart_id, method=method, expires_at=expires_at)
    requests = [
        StockRequest(
            product_id=line.product.pk,
            name=line.product.name,
            quantity=line.quantity,
            backorder=bool(line.product.backorder_days),
        )
        for line in info.lines
        if not line.product.is_service
    ]
    try:
        stock_reserve(
            requests=requests,
            warehouse_ids=info.warehouse_ids,
            reference=order.number,
            expires_at=expires_at,
            now=now,
        )
    except StockShort as short:
        raise OrderError(short.message) from short
    _hold_the_rest(order, result, user=user, now=now)
    _lines(order, result)
    OrderStatusChange.objects.create(
        order=order,
        to_status=order.status,
        author=order.user,
        note=f"Заказ оформлен, оплата: {order.get_payment_method_display()}",
    )
    cart_clear(cart=cart)
    enqueue_after_commit("orders.email", order_id=order.pk, kind="placed")
    if not order.total and method in ONLINE_METHODS:
        # Discounts and points paid for everything: nothing to take online, the order is paid as placed.
        from orders.services.status import order_mark_paid

        order_mark_paid(order_id=order.pk, author=order.user, note="Сумма к оплате — 0 ₽")
        order.refresh_from_db()
    elif method == PaymentMethod.INVOICE:
        from orders.services.documents import order_documents_request

        order_documents_request(order_id=order.pk)
    return order
