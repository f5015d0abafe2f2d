"""The after-sale pages as people use them: the buyer's order page and return form, staff's order admin."""

from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from catalog.models import ReservationState, Stock, StockReservation
from catalog.selectors import stock_drift
from core.money import format_rub
from orders.models import Order, OrderStatus, ReturnRequest, ReturnStatus
from orders.services import order_complete, order_expire_due, order_ship
from orders.tests.factories import cart_of, place, seller
from payments.models import Payment, PaymentStatus, Refund, RefundStatus
from payments.services import payment_start
from payments.tests.factories import sandbox_card_paid

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seller():
    seller()


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def paid_order(moscow_delivery, stocked_product, after_commit, *, user=None, quantity=2):
    order = place(
        cart_of((stocked_product("5000.00", quantity=5), quantity), user=user), moscow_delivery["point"], user=user
    )
    sandbox_card_paid(order, after_commit)
    order.refresh_from_db()
    return order


def received_order(moscow_delivery, stocked_product, after_commit, *, user=None):
    order = paid_order(moscow_delivery, stocked_product, after_commit, user=user)
    after_commit(lambda: order_ship(order_id=order.pk))
    after_commit(lambda: order_complete(order_id=order.pk))
    order.refresh_from_db()
    return order


def test_the_buyer_cancels_a_paid_order_and_reads_that_the_refund_is_done(
    client, moscow_delivery, stocked_product, after_commit
):
    user = UserFactory()
    client.force_login(user)
    order = paid_order(moscow_delivery, stocked_product, after_commit, user=user)

    response = after_commit(lambda: client.post(f"/orders/{order.number}/cancel/", follow=True))
    assert f"Заказ {order.number} отменён" in response.content.decode()
    assert "Возврат 10\xa0199\xa0₽ — оформлен" in response.content.decode()

    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "Возврат 10\xa0199\xa0₽ — выполнен" in page
    assert stock_drift() == []


def test_the_buyer_returns_one_unit_and_staff_accept_it_in_the_admin(
    client, staff, moscow_delivery, stocked_product, after_commit
):
    from django.test import Client

    user = UserFactory()
    buyer = Client()
    buyer.force_login(user)
    order = received_order(moscow_delivery, stocked_product, after_commit, user=user)
    line = order.lines.get()

    page = buyer.get(f"/orders/{order.number}/")
    assert "Вернуть товар" in page.content.decode()
    refused = buyer.post(f"/orders/{order.number}/return/", {f"line_{line.pk}": "3", "reason": ""})
    assert refused.status_code == 200
    refused_page = refused.content.decode()
    assert "Вернуть можно не больше 2 шт." in refused_page
    assert "Напишите, почему возвращаете товар" in refused_page
    assert 'value="3"' in refused_page
    sent = buyer.post(f"/orders/{order.number}/return/", {f"line_{line.pk}": "1", "reason": "Не подошла"}, follow=True)
    assert "Заявка на возврат принята" in sent.content.decode()
    request = ReturnRequest.objects.get()

    listing = staff.get("/admin/orders/order/?attention=return_waiting")
    assert order.number in listing.content.decode()
    form = staff.get(f"/admin/orders/order/{order.pk}/returns/{request.pk}/")
    assert "Покупателю вернётся" in form.content.decode()
    missing = staff.post(f"/admin/orders/order/{order.pk}/returns/{request.pk}/", {"decision": "accept"})
    assert "Выберите склад" in missing.content.decode()
    after_commit(
        lambda: staff.post(
            f"/admin/orders/order/{order.pk}/returns/{request.pk}/",
            {"decision": "accept", "warehouse": moscow_delivery["warehouse"].pk},
        )
    )

    request.refresh_from_db()
    assert request.status == ReturnStatus.ACCEPTED
    assert Stock.objects.get().quantity == 4
    assert request.refund.status == RefundStatus.SUCCEEDED
    # One camera of two, and half the delivery to the pickup point.
    assert request.refund.amount == Decimal("5099.50")
    assert (
        f"Возврат {format_rub(request.refund.amount)} — выполнен"
        in buyer.get(f"/orders/{order.number}/").content.decode()
    )
    assert stock_drift() == []


def test_nobody_reaches_another_persons_return_form(client, moscow_delivery, stocked_product, after_commit):
    order = received_order(moscow_delivery, stocked_product, after_commit, user=UserFactory())
    client.force_login(UserFactory())

    assert client.get(f"/orders/{order.number}/return/").status_code == 404
    assert client.post(f"/orders/{order.number}/return/", {"reason": "x"}).status_code == 404


def test_an_order_not_received_has_no_return_form(client, moscow_delivery, stocked_product, after_commit):
    user = UserFactory()
    client.force_login(user)
    order = paid_order(moscow_delivery, stocked_product, after_commit, user=user)

    response = client.get(f"/orders/{order.number}/return/", follow=True)

    assert "Вернуть товар по этому заказу нельзя" in response.content.decode()


def test_staff_move_an_order_with_the_buttons_of_its_page(staff, moscow_delivery, stocked_product, after_commit):
    order = paid_order(moscow_delivery, stocked_product, after_commit)

    page = staff.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert "Передать в доставку" in page and "Отменить" in page
    after_commit(lambda: staff.post(f"/admin/orders/order/{order.pk}/move/ship/"))
    assert Order.objects.get().status == OrderStatus.SHIPPED
    page = staff.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert "Получен" in page and "Передать в доставку" not in page
    after_commit(lambda: staff.post(f"/admin/orders/order/{order.pk}/move/complete/"))
    assert Order.objects.get().status == OrderStatus.COMPLETED
    refused = staff.post(f"/admin/orders/order/{order.pk}/move/cancel/", follow=True)
    assert refused.status_code == 200
    assert "отменить его нельзя" in refused.content.decode()


def test_handing_over_an_order_whose_reservation_was_lost_answers_with_a_message(
    staff, moscow_delivery, stocked_product, after_commit
):
    order = paid_order(moscow_delivery, stocked_product, after_commit)
    StockReservation.objects.filter(reference=order.number).update(state=ReservationState.RELEASED)
    Stock.objects.update(reserved=0, quantity=0)

    assert order.number in staff.get("/admin/orders/order/?attention=reservation_lost").content.decode()
    response = staff.post(f"/admin/orders/order/{order.pk}/move/ship/", follow=True)

    assert response.status_code == 200
    assert "Нечего передавать" in response.content.decode()
    assert Order.objects.get().status == OrderStatus.PAID


def test_requires_attention_lists_money_kept_for_a_cancelled_order_and_a_failed_refund(
    staff, moscow_delivery, stocked_product, after_commit
):
    from orders.tests.test_admin import invoice_order

    order = invoice_order(moscow_delivery, stocked_product)
    order_expire_due(now=order.reserved_until)
    Stock.objects.update(quantity=0)
    after_commit(lambda: staff.post("/admin/orders/order/", {"action": "invoice_paid", "_selected_action": [order.pk]}))
    refund = Refund.objects.get()
    assert refund.provider == "bank" and refund.status == RefundStatus.PENDING

    listing = staff.get("/admin/orders/order/?attention=all").content.decode()
    assert order.number in listing
    assert order.number in staff.get("/admin/orders/order/?attention=refund_manual").content.decode()
    staff.post(f"/admin/orders/order/{order.pk}/refunds/{refund.pk}/confirm/")
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert order.number not in staff.get("/admin/orders/order/?attention=all").content.decode()

    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.FAILED)
    assert order.number in staff.get("/admin/orders/order/?attention=refund_failed").content.decode()


def test_a_payment_pending_for_over_an_hour_needs_attention(staff, moscow_delivery, stocked_product):
    import datetime

    from django.utils import timezone

    order = place(cart_of((stocked_product("5000.00", quantity=5), 1)), moscow_delivery["point"])
    payment_start(order=order, return_url="http://testserver/")
    assert order.number not in staff.get("/admin/orders/order/?attention=pending_payment").content.decode()
    Payment.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))

    assert order.number in staff.get("/admin/orders/order/?attention=pending_payment").content.decode()
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_the_order_list_shows_region_delivery_and_paid_at(staff, moscow_delivery, stocked_product, after_commit):
    paid_order(moscow_delivery, stocked_product, after_commit)

    page = staff.get("/admin/orders/order/").content.decode()

    assert "Москва" in page
    assert "Пункт выдачи" in page
    assert "требует внимания" in page


def test_a_return_request_is_also_possible_for_a_guest_in_their_own_session(
    client, moscow_delivery, stocked_product, after_commit
):
    from orders.selectors import SESSION_ORDERS_KEY

    order = received_order(moscow_delivery, stocked_product, after_commit)
    session = client.session
    session[SESSION_ORDERS_KEY] = [order.number]
    session.save()
    line = order.lines.get()

    client.post(f"/orders/{order.number}/return/", {f"line_{line.pk}": "2", "reason": "Передумал"})

    assert ReturnRequest.objects.get().lines.get().quantity == 2


def test_staff_issue_a_correction_of_an_invoice_from_the_order_page(
    staff, moscow_delivery, stocked_product, after_commit
):
    from orders.models import DocumentKind, OrderDocument
    from orders.tests.test_admin import invoice_order

    order = after_commit(lambda: invoice_order(moscow_delivery, stocked_product))
    invoice = order.documents.get(kind=DocumentKind.INVOICE)
    page = staff.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert "Исправить: счёт на оплату" in page

    response = staff.post(f"/admin/orders/order/{order.pk}/documents/{invoice.pk}/correct/", follow=True)

    correction = OrderDocument.objects.get(corrects=invoice)
    assert f"Выпущено исправление № {correction.number}" in response.content.decode()
    assert correction.file
