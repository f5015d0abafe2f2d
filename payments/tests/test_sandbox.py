import json
from decimal import Decimal

import pytest
from django.core import mail

from catalog.models import ReservationState, Stock, StockReservation
from catalog.selectors import stock_drift
from orders.models import DocumentKind, Order, OrderStatus
from orders.selectors import SESSION_ORDERS_KEY
from orders.tests.factories import cart_of, place, seller
from payments.models import Payment, PaymentEvent, PaymentStatus
from payments.providers import sandbox
from payments.providers.sandbox import SIGNATURE_HEADER, TIMESTAMP_HEADER, sandbox_callback, sandbox_sign
from payments.services import payment_receive, payment_start

pytestmark = pytest.mark.django_db

WEBHOOK = "/payments/webhook/sandbox/"


@pytest.fixture
def order(moscow_delivery, stocked_product):
    seller()
    camera = stocked_product("5000.00", quantity=3, product__name="Камера IP-2")
    return place(cart_of((camera, 1)), moscow_delivery["point"])


@pytest.fixture
def payment(order):
    return payment_start(order=order, return_url="http://testserver/")


def own(client, order):
    session = client.session
    session[SESSION_ORDERS_KEY] = [order.number]
    session.save()


def post_callback(client, body: bytes, headers: dict):
    return client.post(
        WEBHOOK,
        data=body,
        content_type="application/json",
        headers={"x-sandbox-timestamp": headers[TIMESTAMP_HEADER], "x-sandbox-signature": headers[SIGNATURE_HEADER]},
    )


def test_payment_start_twice_gives_one_payment(order):
    first = payment_start(order=order, return_url="http://testserver/")
    second = payment_start(order=order, return_url="http://testserver/")

    assert first.pk == second.pk
    assert first.amount == order.total == Decimal("5199.00")
    assert first.confirmation_url == f"/payments/sandbox/{first.external_id}/"


def test_card_4111_is_held_captured_and_pays_the_order_keeping_its_reservation_until_handover(
    client, order, payment, django_capture_on_commit_callbacks
):
    own(client, order)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/payments/sandbox/{payment.external_id}/",
            {"number": "4111 1111 1111 1111", "expiry": "12/30", "cvc": "123"},
        )

    assert response.status_code == 302
    assert response["Location"] == f"/payments/return/{payment.public_id}/"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert list(payment.events.values_list("status", flat=True)) == ["succeeded", "waiting_for_capture"]
    stock = Stock.objects.get(reservations__reference=order.number)
    assert (stock.quantity, stock.reserved) == (3, 1)
    reservation = StockReservation.objects.get(reference=order.number)
    assert (reservation.state, reservation.expires_at) == (ReservationState.HELD, None)
    assert order.reserved_until is None
    assert set(order.documents.values_list("kind", flat=True)) == {DocumentKind.RECEIPT, DocumentKind.WARRANTY}
    assert [m.subject for m in mail.outbox] == [f"Заказ {order.number} оплачен"]
    page = client.get(response["Location"], follow=True)
    assert "Оплата прошла" in page.content.decode()
    assert stock_drift() == []


def test_declined_card_leaves_the_order_waiting_with_a_retry(client, order, payment):
    own(client, order)

    client.post(
        f"/payments/sandbox/{payment.external_id}/", {"number": "4000000000000002", "expiry": "12/30", "cvc": "123"}
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert Payment.objects.get().status == PaymentStatus.DECLINED
    page = client.get(f"/payments/return/{payment.public_id}/", follow=True).content.decode()
    assert "Оплата не прошла: Банк отклонил платёж" in page
    assert "Повторить оплату" in page

    retry = client.post(f"/payments/start/{order.number}/")
    second = Payment.objects.get(status=PaymentStatus.PENDING)
    assert retry["Location"] == f"/payments/sandbox/{second.external_id}/"
    client.post(retry["Location"], {"number": "4111111111111111", "expiry": "12/30", "cvc": "123"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.parametrize(
    ("number", "expiry", "cvc", "field", "message"),
    [
        ("4111", "12/30", "123", "number", "Введите номер карты из 16 цифр"),
        ("5555555555554444", "12/30", "123", "number", "В песочнице работают только тестовые карты"),
        ("4111111111111111", "13/30", "123", "expiry", "Укажите срок действия в виде ММ/ГГ"),
        ("4111111111111111", "12/30", "12", "cvc", "Введите три цифры с обратной стороны карты"),
    ],
)
def test_sandbox_card_form_says_what_is_wrong_beside_the_field(
    client, order, payment, number, expiry, cvc, field, message
):
    own(client, order)

    response = client.post(
        f"/payments/sandbox/{payment.external_id}/", {"number": number, "expiry": expiry, "cvc": cvc}
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["form"]["number"].value() == number
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_sbp_shows_a_qr_code_and_confirms_in_the_bank(client, moscow_delivery, stocked_product):
    seller()
    order = place(cart_of((stocked_product(quantity=3), 1)), moscow_delivery["point"], method="sbp")
    payment = payment_start(order=order, return_url="http://testserver/")
    own(client, order)

    page = client.get(f"/payments/sandbox/{payment.external_id}/").content.decode()
    assert "<svg" in page and "Подтвердить в банке" in page

    client.post(f"/payments/sandbox/{payment.external_id}/", {"action": "confirm"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_the_same_callback_100_times_changes_the_status_once(
    client, order, payment, django_capture_on_commit_callbacks
):
    body, headers = sandbox_callback(external_id=payment.external_id, status="succeeded", amount=payment.amount)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _ in range(100):
            assert post_callback(client, body, headers).status_code == 200

    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    assert PaymentEvent.objects.filter(changed=True).count() == 1
    assert PaymentEvent.objects.filter(accepted=True).count() == 100
    assert Order.objects.get().history.filter(to_status=OrderStatus.PAID).count() == 1
    assert len(callbacks) == 2  # one document task and one email, from the one paid event


def forged(payment, **changes):
    data = {"payment_id": payment.external_id, "status": "succeeded", "amount": str(payment.amount), "currency": "RUB"}
    return json.dumps(data | changes).encode()


def test_a_bad_signature_changes_nothing(client, order, payment):
    body = forged(payment)
    response = post_callback(client, body, {TIMESTAMP_HEADER: str(int(sandbox._clock())), SIGNATURE_HEADER: "0" * 64})

    assert response.status_code == 200
    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert PaymentEvent.objects.get().note == "отклонено: bad signature"


def test_an_old_timestamp_changes_nothing(client, order, payment, monkeypatch):
    body = forged(payment)
    signed_at = 1_780_000_000
    headers = {TIMESTAMP_HEADER: str(signed_at), SIGNATURE_HEADER: sandbox_sign(body=body, timestamp=signed_at)}
    monkeypatch.setattr(sandbox, "_clock", lambda: signed_at + 301)

    post_callback(client, body, headers)

    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert PaymentEvent.objects.get().note == "отклонено: old timestamp"
    monkeypatch.setattr(sandbox, "_clock", lambda: signed_at + 300)
    post_callback(client, body, headers)
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED


@pytest.mark.parametrize(("changes", "note"), [({"amount": "1.00"}, "сумма"), ({"currency": "USD"}, "валюта")])
def test_a_wrong_amount_or_currency_changes_nothing(order, payment, changes, note):
    body = forged(payment, **changes)
    now = int(sandbox._clock())

    changed = payment_receive(
        provider_name="sandbox",
        body=body,
        headers={TIMESTAMP_HEADER: str(now), SIGNATURE_HEADER: sandbox_sign(body=body, timestamp=now)},
    )

    assert changed is False
    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert note in PaymentEvent.objects.get().note
    assert Order.objects.get().status == OrderStatus.AWAITING_PAYMENT


def test_another_persons_payment_and_order_answer_404(client, order, payment):
    assert client.get(f"/payments/sandbox/{payment.external_id}/").status_code == 404
    assert client.get(f"/payments/return/{payment.public_id}/").status_code == 404
    assert client.post(f"/payments/start/{order.number}/").status_code == 404
    assert client.get(f"/orders/{order.number}/").status_code == 404


def test_the_return_page_never_takes_the_redirect_as_proof(client, order, payment):
    own(client, order)

    page = client.get(f"/payments/return/{payment.public_id}/?status=succeeded", follow=True).content.decode()

    assert "Ждём подтверждения оплаты" in page
    assert Order.objects.get().status == OrderStatus.AWAITING_PAYMENT


def test_the_sandbox_refuses_to_take_money_once_the_reservation_ran_out(client, order, payment):
    import datetime

    from django.utils import timezone

    own(client, order)
    Order.objects.filter(pk=order.pk).update(reserved_until=timezone.now() - datetime.timedelta(seconds=1))

    response = client.post(
        f"/payments/sandbox/{payment.external_id}/", {"number": "4111111111111111", "expiry": "12/30", "cvc": "123"}
    )

    assert response["Location"] == f"/orders/{order.number}/"
    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert "Время на оплату истекло" in client.get(response["Location"]).content.decode()
