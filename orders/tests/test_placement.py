import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import CompanyUserFactory, UserFactory
from cart.models import CartLine
from catalog.models import Product, ReservationState, Stock, StockReservation
from catalog.selectors import stock_drift
from loyalty.selectors import points_balance
from loyalty.services import points_earn
from orders.exceptions import (
    CheckoutInvalid,
    InvoiceForCompaniesOnly,
    OnReceiptNotForDelivery,
    OrderError,
    OrderTotalChanged,
)
from orders.models import Order, OrderStatus, PaymentMethod
from orders.services import order_cancel, order_expire_due, order_place, reservation_expiry
from orders.tests.factories import cart_of, pickup_data, place
from promotions.models import PromoCode, PromoRedemption
from promotions.tests.factories import PromoCodeFactory

pytestmark = pytest.mark.django_db


def available(product) -> int:
    from catalog.availability import with_availability

    return with_availability(Product.objects.filter(pk=product.pk)).get().available


def test_order_place_snapshots_lines_numbers_the_order_and_reserves_stock(moscow_delivery, stocked_product):
    camera = stocked_product("5000.00", quantity=10, product__name="Камера IP-2", product__sku="CAM-2")
    cart = cart_of((camera, 2))

    order = place(cart, moscow_delivery["point"])

    assert order.number == f"{order.created_at.year}-{order.pk:06d}"
    assert len(order.number) == 11
    line = order.lines.get()
    assert (line.name, line.sku, line.price, line.quantity) == ("Камера IP-2", "CAM-2", Decimal("5000.00"), 2)
    assert (line.total, line.vat_rate, line.vat) == (Decimal("10000.00"), "22", Decimal("1803.28"))
    assert order.total == Decimal("10199.00")  # 199 ₽ to the pickup point
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert list(order.history.values_list("from_status", "to_status")) == [("", OrderStatus.AWAITING_PAYMENT)]
    assert Stock.objects.get(product=camera).reserved == 2
    assert available(camera) == 8
    assert not CartLine.objects.filter(cart=cart).exists()
    assert stock_drift() == []


def test_order_place_rejects_more_than_in_stock_and_writes_nothing(moscow_delivery, stocked_product):
    camera = stocked_product(quantity=3, product__name="Камера IP-2")
    cart = cart_of((camera, 2))
    rival = cart_of((camera, 2))
    place(rival, moscow_delivery["point"])

    with pytest.raises(OrderError) as refused:
        place(cart, moscow_delivery["point"])

    assert refused.value.message == "«Камера IP-2»: осталось только 1 шт."
    assert Order.objects.count() == 1
    assert list(CartLine.objects.filter(cart=cart).values_list("quantity", flat=True)) == [2]
    assert Stock.objects.get(product=camera).reserved == 2


def test_order_place_keeps_promo_and_points_untouched_when_stock_is_short(moscow_delivery, stocked_product):
    user = UserFactory()
    points_earn(user=user, amount=1000)
    PromoCodeFactory(code="WELCOME10", kind="percent", value=Decimal("10"))
    camera = stocked_product(quantity=1, product__name="Камера IP-2")
    cart = cart_of((camera, 2), user=user)
    Stock.objects.filter(product=camera).update(quantity=3)
    other = cart_of((camera, 2))
    place(other, moscow_delivery["point"])

    with pytest.raises(OrderError):
        place(cart, moscow_delivery["point"], user=user, promo_code="WELCOME10", points="500")

    assert PromoCode.objects.get(code="WELCOME10").uses_count == 0
    assert not PromoRedemption.objects.exists()
    assert points_balance(user=user) == 1000


def test_order_place_takes_promo_points_and_window_and_cancel_gives_them_back(moscow_delivery, stocked_product):
    user = UserFactory()
    points_earn(user=user, amount=1000)
    PromoCodeFactory(code="WELCOME10", kind="percent", value=Decimal("10"))
    camera = stocked_product("5000.00", quantity=5)
    cart = cart_of((camera, 1), user=user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    order = place(
        cart,
        moscow_delivery["point"],
        user=user,
        promo_code="WELCOME10",
        points="300",
        delivery="courier",
        courier_address="г. Москва, ул. Тверская, д. 7",
        window=f"{tomorrow.isoformat()}|10-13",
    )

    assert (order.discount, order.points) == (Decimal("500.00"), 300)
    assert PromoCode.objects.get(code="WELCOME10").uses_count == 1
    assert points_balance(user=user) == 700
    assert order.window.booked == 1

    order_cancel(order_id=order.pk, author=user)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert PromoCode.objects.get(code="WELCOME10").uses_count == 0
    assert points_balance(user=user) == 1000
    order.window.refresh_from_db()
    assert order.window.booked == 0
    assert Stock.objects.get(product=camera).reserved == 0
    assert list(order.history.values_list("to_status", flat=True)) == ["awaiting_payment", "cancelled"]
    assert order.history.last().author == user
    assert stock_drift() == []


def test_the_same_cart_placed_twice_gives_one_order(moscow_delivery, stocked_product):
    cart = cart_of((stocked_product(quantity=5), 1))

    first = place(cart, moscow_delivery["point"])
    second = place(cart, moscow_delivery["point"])

    assert first.pk == second.pk
    assert Order.objects.count() == 1


def test_order_place_refuses_a_total_changed_since_it_was_shown_and_writes_nothing(moscow_delivery, stocked_product):
    camera = stocked_product("5000.00", quantity=10)
    cart = cart_of((camera, 2))
    shown = Decimal("10199.00")  # 2 × 5 000 ₽ and 199 ₽ to the pickup point
    Product.objects.filter(pk=camera.pk).update(price=Decimal("6000.00"))

    with pytest.raises(OrderTotalChanged) as refused:
        order_place(
            cart_id=cart.pk,
            user=AnonymousUser(),
            data=pickup_data(moscow_delivery["point"]),
            method=PaymentMethod.CARD,
            expected_total=shown,
        )

    assert refused.value.message == "Сумма заказа изменилась: было 10\u00a0199\u00a0₽, стало 12\u00a0199\u00a0₽"
    assert (refused.value.old, refused.value.new) == (Decimal("10199.00"), Decimal("12199.00"))
    assert not Order.objects.exists()
    assert list(CartLine.objects.filter(cart=cart).values_list("quantity", flat=True)) == [2]
    assert Stock.objects.get(product=camera).reserved == 0
    assert not StockReservation.objects.exists()
    assert stock_drift() == []
    call_command("check_stock")


def test_order_place_accepts_the_total_that_was_shown(moscow_delivery, stocked_product):
    cart = cart_of((stocked_product("5000.00", quantity=10), 2))

    order = order_place(
        cart_id=cart.pk,
        user=AnonymousUser(),
        data=pickup_data(moscow_delivery["point"]),
        method=PaymentMethod.CARD,
        expected_total=Decimal("10199.00"),
    )

    assert order.total == Decimal("10199.00")


def test_order_place_refuses_an_invalid_checkout(moscow_delivery, stocked_product):
    cart = cart_of((stocked_product(quantity=5), 1))

    with pytest.raises(CheckoutInvalid):
        place(cart, moscow_delivery["point"], full_name="")

    assert Order.objects.count() == 0


def test_invoice_is_for_companies_only(moscow_delivery, stocked_product):
    cart = cart_of((stocked_product(quantity=5), 1))

    with pytest.raises(InvoiceForCompaniesOnly):
        place(cart, moscow_delivery["point"], method=PaymentMethod.INVOICE)


def test_payment_on_receipt_is_not_offered_for_pickup_points(moscow_delivery, stocked_product):
    cart = cart_of((stocked_product(quantity=5), 1))

    with pytest.raises(OnReceiptNotForDelivery):
        place(cart, moscow_delivery["point"], method=PaymentMethod.ON_RECEIPT)


def test_payment_on_receipt_holds_stock_until_handover(moscow_delivery, stocked_product):
    cart = cart_of((stocked_product(quantity=5), 1))

    order = place(
        cart,
        moscow_delivery["point"],
        method=PaymentMethod.ON_RECEIPT,
        delivery="pickup",
        pickup_point=str(moscow_delivery["store"].pk),
    )

    assert order.status == OrderStatus.ACCEPTED
    assert order.reserved_until is None
    assert StockReservation.objects.get(reference=order.number).expires_at is None


def test_company_invoice_holds_stock_for_three_banking_days(moscow_delivery, stocked_product):
    user = CompanyUserFactory()
    cart = cart_of((stocked_product(quantity=5), 1), user=user)
    friday = timezone.make_aware(datetime.datetime(2026, 11, 27, 12, 0))

    assert reservation_expiry(method=PaymentMethod.INVOICE, now=friday) == friday + datetime.timedelta(days=5)
    assert reservation_expiry(method=PaymentMethod.CARD, now=friday) == friday + datetime.timedelta(minutes=30)
    data = {
        "company_name": user.company.name,
        "inn": user.company.inn,
        "kpp": user.company.kpp,
        "legal_address": user.company.legal_address,
        "contact_name": "Пётр Иванов",
    }
    order = place(cart, moscow_delivery["point"], user=user, method=PaymentMethod.INVOICE, **data)
    assert order.is_company and order.payment_method == PaymentMethod.INVOICE


def test_an_expired_reservation_stops_counting_at_once(moscow_delivery, stocked_product):
    camera = stocked_product(quantity=2, product__name="Камера IP-2")
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    stale = place(cart_of((camera, 2)), moscow_delivery["point"], now=long_ago)
    assert stale.reserved_until < timezone.now()

    assert available(camera) == 2
    fresh = place(cart_of((camera, 2)), moscow_delivery["point"])

    assert fresh.status == OrderStatus.AWAITING_PAYMENT
    assert StockReservation.objects.get(reference=stale.number).state == ReservationState.RELEASED
    assert Stock.objects.get(product=camera).reserved == 2
    assert stock_drift() == []


def test_release_expired_reservations_cancels_the_unpaid_order_and_gives_everything_back(
    moscow_delivery, stocked_product
):
    user = UserFactory()
    points_earn(user=user, amount=1000)
    camera = stocked_product("5000.00", quantity=2)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    order = place(cart_of((camera, 1), user=user), moscow_delivery["point"], user=user, points="200", now=long_ago)
    assert points_balance(user=user) == 800

    call_command("release_expired_reservations")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.history.last().note == "Не оплачен вовремя — резерв снят"
    assert points_balance(user=user) == 1000
    assert Stock.objects.get(product=camera).reserved == 0
    assert order_expire_due() == []
    call_command("check_stock")


def test_check_stock_reports_drift(moscow_delivery, stocked_product):
    camera = stocked_product(quantity=5)
    Stock.objects.filter(product=camera).update(reserved=2)

    assert len(stock_drift()) == 1
    with pytest.raises(Exception, match="Расхождений: 1"):
        call_command("check_stock")


def test_guest_cannot_be_anonymous_with_points(moscow_delivery, stocked_product):
    cart = cart_of((stocked_product(quantity=5), 1))

    with pytest.raises(CheckoutInvalid):
        place(cart, moscow_delivery["point"], user=AnonymousUser(), points="100")
