"""After the money arrives: cancellation with refunds, handover, returns, late payments, through the sandbox."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.models import ReservationState, Stock, StockReservation
from catalog.selectors import stock_drift
from core.money import to_kopecks
from loyalty.selectors import points_balance
from loyalty.services import points_earn
from orders.exceptions import OrderError
from orders.models import Order, OrderStatus, PaymentMethod, ReturnStatus
from orders.services import (
    order_cancel,
    order_complete,
    order_expire_due,
    order_return_accept,
    order_return_request,
    order_ship,
)
from orders.tests.factories import cart_of, place, seller
from payments.exceptions import NothingToRefund, OrderNotPayable, PaymentNotNeeded, RefundTooMuch
from payments.models import Payment, PaymentStatus, Refund, RefundCause, RefundStatus
from payments.providers import RefundResult
from payments.providers.sandbox import SandboxProvider, sandbox_callback
from payments.services import (
    invoice_payment_record,
    payment_receive,
    payment_start,
    refund_confirm,
    refund_create,
    refund_retry,
)
from payments.tests.factories import sandbox_card_paid

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seller():
    seller()


def units(product) -> tuple[int, int]:
    stock = Stock.objects.get(product=product)
    return stock.quantity, stock.reserved


def test_a_paid_order_cancelled_by_the_buyer_is_refunded_in_full_and_gives_everything_back(
    moscow_delivery, stocked_product, after_commit
):
    user = UserFactory()
    points_earn(user=user, amount=1000)
    camera = stocked_product("5000.00", quantity=5)
    order = place(cart_of((camera, 2), user=user), moscow_delivery["point"], user=user, points="500")
    payment = sandbox_card_paid(order, after_commit)
    assert payment.status == PaymentStatus.SUCCEEDED
    assert units(camera) == (5, 2)
    assert points_balance(user=user) == 500

    after_commit(lambda: order_cancel(order_id=order.pk, author=user))

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    refund = Refund.objects.get(order=order)
    assert (refund.cause, refund.amount, refund.status) == (RefundCause.CANCELLATION, payment.amount, "succeeded")
    assert refund.external_id == f"sbx-refund-{refund.idempotence_key}"
    assert refund.lines.get().quantity == 2
    assert units(camera) == (5, 0)
    assert points_balance(user=user) == 1000
    assert stock_drift() == []


def test_cancelling_twice_or_refunding_more_than_paid_is_refused(moscow_delivery, stocked_product, after_commit):
    order = place(cart_of((stocked_product("5000.00", quantity=5), 1)), moscow_delivery["point"])
    sandbox_card_paid(order, after_commit)
    after_commit(lambda: order_cancel(order_id=order.pk))

    with pytest.raises(OrderError):
        order_cancel(order_id=order.pk)
    with pytest.raises(NothingToRefund):
        refund_create(order_id=order.pk, amount=Decimal("1.00"), cause=RefundCause.MANUAL)
    assert Refund.objects.count() == 1


def test_a_partial_refund_cannot_exceed_what_is_left(moscow_delivery, stocked_product, after_commit):
    order = place(cart_of((stocked_product("5000.00", quantity=5), 1)), moscow_delivery["point"])
    payment = sandbox_card_paid(order, after_commit)
    after_commit(
        lambda: refund_create(order_id=order.pk, amount=Decimal("1000.00"), cause=RefundCause.MANUAL, reason="скидка")
    )

    with pytest.raises(RefundTooMuch, match="Вернуть можно не больше 4"):
        refund_create(order_id=order.pk, amount=payment.amount, cause=RefundCause.MANUAL)


def test_stock_leaves_at_handover_and_the_settlement_receipt_is_sent(moscow_delivery, stocked_product, after_commit):
    camera = stocked_product("5000.00", quantity=5)
    order = place(cart_of((camera, 2)), moscow_delivery["point"])
    payment = sandbox_card_paid(order, after_commit)
    assert units(camera) == (5, 2)

    after_commit(lambda: order_ship(order_id=order.pk))

    assert units(camera) == (3, 0)
    assert StockReservation.objects.get(reference=order.number).state == ReservationState.WRITTEN_OFF
    payment.refresh_from_db()
    assert payment.settlement_receipt_id == f"sbx-receipt-{payment.idempotence_key}"
    assert payment.settled_at is not None
    with pytest.raises(OrderError):
        order_cancel(order_id=order.pk)
    assert stock_drift() == []


def test_handing_over_an_order_whose_goods_are_gone_is_refused_with_a_message(moscow_delivery, stocked_product):
    camera = stocked_product("5000.00", quantity=1)
    order = place(cart_of((camera, 1)), moscow_delivery["store"], method=PaymentMethod.ON_RECEIPT, delivery="pickup")
    # The unit is gone from the shelf (a stocktake found it missing) and the reservation with it.
    StockReservation.objects.filter(reference=order.number).update(state=ReservationState.RELEASED)
    Stock.objects.filter(product=camera).update(reserved=0, quantity=0)

    with pytest.raises(OrderError, match="Нечего передавать"):
        order_ship(order_id=order.pk)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.ACCEPTED


def test_points_are_credited_at_receipt_for_payment_on_receipt_and_the_hold_is_spent(
    moscow_delivery, stocked_product, after_commit
):
    user = UserFactory()
    points_earn(user=user, amount=1000)
    order = place(
        cart_of((stocked_product("10000.00", quantity=5), 1), user=user),
        moscow_delivery["store"],
        user=user,
        method=PaymentMethod.ON_RECEIPT,
        delivery="pickup",
        points="1000",
    )
    assert points_balance(user=user) == 0

    after_commit(lambda: order_ship(order_id=order.pk))
    after_commit(lambda: order_complete(order_id=order.pk))

    order.refresh_from_db()
    assert order.earns == 450
    assert points_balance(user=user) == 450
    assert order.points_hold.settlements.get().kind == "spent"
    payment = order.payments.get()
    assert (payment.provider, payment.amount, payment.status) == ("on_receipt", order.total, "succeeded")
    assert payment.settlement_receipt_id == ""
    assert stock_drift() == []


def test_a_card_order_credits_its_points_only_when_received(moscow_delivery, stocked_product, after_commit):
    user = UserFactory()
    order = place(cart_of((stocked_product("10000.00", quantity=5), 1), user=user), moscow_delivery["point"], user=user)
    sandbox_card_paid(order, after_commit)
    assert points_balance(user=user) == 0

    after_commit(lambda: order_ship(order_id=order.pk))
    assert points_balance(user=user) == 0
    after_commit(lambda: order_complete(order_id=order.pk))

    assert points_balance(user=user) == order.earns > 0


def test_a_received_line_returned_and_accepted_is_restocked_and_refunded_with_its_shares(
    moscow_delivery, stocked_product, after_commit
):
    user = UserFactory()
    points_earn(user=user, amount=1000)
    camera = stocked_product("6000.00", quantity=5)
    sensor = stocked_product("4000.00", quantity=5)
    order = place(cart_of((camera, 2), (sensor, 1), user=user), moscow_delivery["point"], user=user, points="800")
    sandbox_card_paid(order, after_commit)
    after_commit(lambda: order_ship(order_id=order.pk))
    after_commit(lambda: order_complete(order_id=order.pk))
    order.refresh_from_db()
    balance = points_balance(user=user)
    camera_line = order.lines.get(product=camera)

    request = order_return_request(order_id=order.pk, quantities={camera_line.pk: 1}, reason="Не подошла")
    after_commit(lambda: order_return_accept(return_id=request.pk, warehouse_id=moscow_delivery["warehouse"].pk))

    request.refresh_from_db()
    assert request.status == ReturnStatus.ACCEPTED
    assert units(camera) == (4, 0)
    refund = request.refund
    # One camera of two: half its line after discounts and points, and its share of the delivery.
    line_share = camera_line.total / 2
    delivery_share = to_kopecks(order.delivery_cost * line_share / (order.total - order.delivery_cost))
    assert (line_share, delivery_share) == (Decimal("5700.00"), Decimal("74.63"))
    assert refund.amount == line_share + delivery_share
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.lines.get().quantity == 1
    points_back = int(camera_line.points / 2)
    revoked = int(order.earns * line_share / (order.total - order.delivery_cost))
    assert points_balance(user=user) == balance + points_back - revoked
    assert stock_drift() == []


def test_a_return_after_the_period_or_of_more_than_bought_is_refused(
    moscow_delivery, stocked_product, after_commit, settings
):
    order = place(cart_of((stocked_product("5000.00", quantity=5), 1)), moscow_delivery["point"])
    sandbox_card_paid(order, after_commit)
    after_commit(lambda: order_ship(order_id=order.pk))
    after_commit(lambda: order_complete(order_id=order.pk))
    line = order.lines.get()

    with pytest.raises(OrderError, match="не больше 1 шт"):
        order_return_request(order_id=order.pk, quantities={line.pk: 2}, reason="x")
    later = timezone.now() + datetime.timedelta(days=settings.ORDER_RETURN_DAYS, minutes=1)
    with pytest.raises(OrderError, match="Срок возврата истёк"):
        order_return_request(order_id=order.pk, quantities={line.pk: 1}, reason="x", now=later)


def _expired(order) -> None:
    """The 30 minutes to pay ran out and the expiry sweep cancelled the order."""
    order_expire_due(now=order.reserved_until + datetime.timedelta(seconds=1))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_a_late_card_payment_revives_the_order_when_the_goods_are_still_there(
    moscow_delivery, stocked_product, after_commit
):
    user = UserFactory()
    points_earn(user=user, amount=1000)
    camera = stocked_product("5000.00", quantity=1)
    order = place(cart_of((camera, 1), user=user), moscow_delivery["point"], user=user, points="300")
    payment = payment_start(order=order, return_url="http://testserver/")
    _expired(order)
    assert units(camera) == (1, 0)
    assert points_balance(user=user) == 1000

    body, headers = sandbox_callback(
        external_id=payment.external_id, status="waiting_for_capture", amount=payment.amount
    )
    after_commit(lambda: payment_receive(provider_name="sandbox", body=body, headers=headers))

    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (OrderStatus.PAID, PaymentStatus.SUCCEEDED)
    assert units(camera) == (1, 1)
    assert points_balance(user=user) == 700
    assert order.points_hold.settlements.get().kind == "spent"
    assert not Refund.objects.exists()
    assert stock_drift() == []


def test_a_hold_the_bank_drops_while_a_cancelled_order_is_revived_gives_everything_back_again(
    moscow_delivery, stocked_product, after_commit, monkeypatch
):
    from payments.providers import ProviderError

    user = UserFactory()
    points_earn(user=user, amount=1000)
    camera = stocked_product("5000.00", quantity=1)
    order = place(cart_of((camera, 1), user=user), moscow_delivery["point"], user=user, points="300")
    payment = payment_start(order=order, return_url="http://testserver/")
    _expired(order)

    def unreachable(self, payment):
        raise ProviderError("timeout")

    monkeypatch.setattr(SandboxProvider, "capture", unreachable)
    body, headers = sandbox_callback(
        external_id=payment.external_id, status="waiting_for_capture", amount=payment.amount
    )
    after_commit(lambda: payment_receive(provider_name="sandbox", body=body, headers=headers))
    assert units(camera) == (1, 1)
    assert points_balance(user=user) == 700

    body, headers = sandbox_callback(external_id=payment.external_id, status="declined", amount=payment.amount)
    after_commit(lambda: payment_receive(provider_name="sandbox", body=body, headers=headers))

    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (OrderStatus.CANCELLED, PaymentStatus.CANCELLED)
    assert units(camera) == (1, 0)
    assert points_balance(user=user) == 1000
    assert stock_drift() == []


def test_a_late_card_payment_for_goods_sold_meanwhile_releases_the_hold_and_takes_no_money(
    moscow_delivery, stocked_product, after_commit
):
    camera = stocked_product("5000.00", quantity=1)
    late = place(cart_of((camera, 1)), moscow_delivery["point"])
    payment = payment_start(order=late, return_url="http://testserver/")
    _expired(late)
    other = place(cart_of((camera, 1)), moscow_delivery["point"])
    sandbox_card_paid(other, after_commit)

    body, headers = sandbox_callback(
        external_id=payment.external_id, status="waiting_for_capture", amount=payment.amount
    )
    after_commit(lambda: payment_receive(provider_name="sandbox", body=body, headers=headers))

    late.refresh_from_db()
    payment.refresh_from_db()
    assert (late.status, payment.status) == (OrderStatus.CANCELLED, PaymentStatus.CANCELLED)
    assert not Refund.objects.exists()
    assert Order.objects.filter(status=OrderStatus.PAID).count() == 1
    assert units(camera) == (1, 1)
    assert stock_drift() == []


def test_a_one_stage_success_for_an_order_the_buyer_cancelled_is_refunded(
    moscow_delivery, stocked_product, after_commit
):
    order = place(cart_of((stocked_product("5000.00", quantity=3), 1)), moscow_delivery["point"])
    payment = payment_start(order=order, return_url="http://testserver/")
    after_commit(lambda: order_cancel(order_id=order.pk))

    body, headers = sandbox_callback(external_id=payment.external_id, status="succeeded", amount=payment.amount)
    after_commit(lambda: payment_receive(provider_name="sandbox", body=body, headers=headers))

    refund = Refund.objects.get()
    assert (refund.cause, refund.amount, refund.status) == (RefundCause.LATE_PAYMENT, payment.amount, "succeeded")
    assert Order.objects.get().status == OrderStatus.CANCELLED
    assert stock_drift() == []


def _invoice_order(moscow_delivery, stocked_product, quantity=1):
    from accounts.tests.factories import CompanyUserFactory

    user = CompanyUserFactory()
    company = user.company
    return place(
        cart_of((stocked_product("5000.00", quantity=quantity), 1), user=user),
        moscow_delivery["point"],
        user=user,
        method=PaymentMethod.INVOICE,
        company_name=company.name,
        inn=company.inn,
        kpp=company.kpp,
        legal_address=company.legal_address,
        contact_name="Пётр Иванов",
    )


def test_a_bank_transfer_for_an_expired_invoice_revives_the_order(moscow_delivery, stocked_product, after_commit):
    order = _invoice_order(moscow_delivery, stocked_product)
    _expired(order)

    after_commit(lambda: invoice_payment_record(order_id=order.pk))

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.payments.get().provider == "bank"
    assert stock_drift() == []


def test_a_bank_transfer_for_a_cancelled_invoice_without_goods_waits_for_a_refund_by_staff(
    moscow_delivery, stocked_product, after_commit
):
    order = _invoice_order(moscow_delivery, stocked_product)
    _expired(order)
    Stock.objects.update(quantity=0)

    after_commit(lambda: invoice_payment_record(order_id=order.pk))

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    refund = Refund.objects.get()
    assert (refund.cause, refund.status, refund.provider) == (RefundCause.LATE_PAYMENT, "pending", "bank")
    refund_confirm(refund_id=refund.pk)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED


def test_a_failed_refund_stays_visible_and_is_retried_with_a_new_key(
    moscow_delivery, stocked_product, after_commit, monkeypatch
):
    order = place(cart_of((stocked_product("5000.00", quantity=3), 1)), moscow_delivery["point"])
    sandbox_card_paid(order, after_commit)
    monkeypatch.setattr(
        SandboxProvider,
        "refund",
        lambda self, refund: RefundResult(external_id="", status="failed", reason="нет денег"),
    )
    after_commit(lambda: order_cancel(order_id=order.pk))
    refund = Refund.objects.get()
    assert (refund.status, refund.failure_reason) == (RefundStatus.FAILED, "нет денег")
    first_key = refund.idempotence_key
    monkeypatch.undo()

    after_commit(lambda: refund_retry(refund_id=refund.pk))

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.idempotence_key != first_key


def test_an_order_paid_entirely_by_a_promo_needs_no_payment(moscow_delivery, stocked_product, after_commit):
    from promotions.tests.factories import PromoCodeFactory

    PromoCodeFactory(code="FREE", kind="fixed", value=Decimal("100000"))
    order = place(
        cart_of((stocked_product("5000.00", quantity=3), 1)),
        moscow_delivery["store"],
        promo_code="FREE",
        delivery="pickup",
    )
    assert (order.total, order.status, order.reserved_until) == (0, OrderStatus.PAID, None)

    with pytest.raises(OrderNotPayable):
        payment_start(order=order, return_url="http://testserver/")
    assert not Payment.objects.exists()
    assert stock_drift() == []


def test_an_unpaid_order_whose_total_is_zero_is_paid_when_the_buyer_presses_pay(moscow_delivery, stocked_product):
    order = place(cart_of((stocked_product("5000.00", quantity=3), 1)), moscow_delivery["point"])
    Order.objects.filter(pk=order.pk).update(total=0)

    with pytest.raises(PaymentNotNeeded):
        payment_start(order=order, return_url="http://testserver/")

    assert Order.objects.get().status == OrderStatus.PAID
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "method", [PaymentMethod.CARD, PaymentMethod.SBP, PaymentMethod.INVOICE, PaymentMethod.ON_RECEIPT]
)
def test_points_are_credited_when_the_order_is_received_whatever_the_method(
    moscow_delivery, stocked_product, after_commit, method
):
    from accounts.tests.factories import CompanyUserFactory

    user = CompanyUserFactory() if method == PaymentMethod.INVOICE else UserFactory()
    company = user.company if method == PaymentMethod.INVOICE else None
    extra = (
        {
            "company_name": company.name,
            "inn": company.inn,
            "kpp": company.kpp,
            "legal_address": company.legal_address,
            "contact_name": "Пётр Иванов",
        }
        if company
        else {}
    )
    order = place(
        cart_of((stocked_product("10000.00", quantity=5), 1), user=user),
        moscow_delivery["store"],
        user=user,
        method=method,
        delivery="pickup",
        **extra,
    )
    if method in (PaymentMethod.CARD, PaymentMethod.SBP):
        sandbox_card_paid(order, after_commit)
    elif method == PaymentMethod.INVOICE:
        after_commit(lambda: invoice_payment_record(order_id=order.pk))
    after_commit(lambda: order_ship(order_id=order.pk))
    assert points_balance(user=user) == 0

    after_commit(lambda: order_complete(order_id=order.pk))

    order.refresh_from_db()
    assert order.earns > 0
    assert points_balance(user=user) == order.earns
    assert order.payments.get(status=PaymentStatus.SUCCEEDED).amount == order.total
    assert stock_drift() == []


def test_an_expired_invoice_is_annulled_and_stands_again_when_the_late_transfer_revives_the_order(
    moscow_delivery, stocked_product, after_commit
):
    from orders.models import DocumentKind

    order = after_commit(lambda: _invoice_order(moscow_delivery, stocked_product))
    invoice = order.documents.get(kind=DocumentKind.INVOICE)
    after_commit(lambda: order_expire_due(now=order.reserved_until + datetime.timedelta(seconds=1)))
    invoice.refresh_from_db()
    assert invoice.cancelled_at is not None

    after_commit(lambda: invoice_payment_record(order_id=order.pk))

    invoice.refresh_from_db()
    assert invoice.cancelled_at is None
    assert Order.objects.get().status == OrderStatus.PAID
