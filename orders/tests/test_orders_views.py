import pytest

from accounts.tests.factories import UserFactory
from catalog.models import Stock
from orders.exceptions import StatusMoveRefused
from orders.models import DocumentKind, Order, OrderStatus
from orders.services import order_set_status
from orders.services.documents import order_documents_make
from orders.tests.factories import cart_of, pickup_data, place, seller

pytestmark = pytest.mark.django_db


def checkout_session(client, data):
    session = client.session
    session["checkout"] = data
    session.save()


def test_pressing_confirm_on_the_payment_page_places_the_order(client, guest_with_cart, moscow_delivery):
    checkout_session(client, pickup_data(moscow_delivery["point"]))

    response = client.post("/checkout/payment/", {"payment_method": "card"})

    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.number}/"
    page = client.get(response["Location"]).content.decode()
    assert "Оплатить" in page and "резерв" in page.lower()
    assert client.get("/orders/").content.decode().count(f">{order.number}<") == 1


def test_the_payment_page_offers_only_the_methods_the_order_allows(client, guest_with_cart, moscow_delivery):
    checkout_session(client, pickup_data(moscow_delivery["point"]))

    response = client.post("/checkout/payment/", {"payment_method": "invoice"})

    assert response.status_code == 200
    assert response.context["method_form"].errors["payment_method"] == ["Выберите способ оплаты"]
    choices = [value for value, _ in response.context["method_form"].fields["payment_method"].choices]
    assert choices == ["card", "sbp"]
    assert not Order.objects.exists()


def test_stock_gone_meanwhile_is_named_on_the_payment_page_and_the_cart_stays(client, guest_with_cart, moscow_delivery):
    checkout_session(client, pickup_data(moscow_delivery["point"]))
    line = guest_with_cart.lines.order_by("pk").first()
    rival = cart_of((line.product, 9))
    place(rival, moscow_delivery["point"])

    response = client.post("/checkout/payment/", {"payment_method": "card"})

    assert response.status_code == 200
    assert f"«{line.product.name}»: осталось только 1 шт." in response.context["method_form"].non_field_errors()
    assert guest_with_cart.lines.count() == 2
    assert Order.objects.count() == 1


def test_another_persons_order_and_document_answer_404(client, moscow_delivery, stocked_product):
    seller()
    owner = UserFactory()
    order = place(cart_of((stocked_product(quantity=5), 1), user=owner), moscow_delivery["point"], user=owner)
    from orders.services import order_mark_paid

    order_mark_paid(order_id=order.pk)
    order_documents_make(order_id=order.pk)
    client.force_login(UserFactory())

    assert client.get(f"/orders/{order.number}/").status_code == 404
    assert client.get(f"/orders/{order.number}/documents/receipt.pdf").status_code == 404
    assert client.post(f"/orders/{order.number}/cancel/").status_code == 404
    assert order.number not in client.get("/orders/").content.decode()

    client.force_login(owner)
    response = client.get(f"/orders/{order.number}/documents/receipt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client.get(f"/orders/{order.number}/documents/nonsense.pdf").status_code == 404


def test_the_buyer_cancels_before_shipping_and_the_stock_comes_back(client, moscow_delivery, stocked_product):
    user = UserFactory()
    product = stocked_product(quantity=5)
    order = place(cart_of((product, 2), user=user), moscow_delivery["point"], user=user)
    client.force_login(user)

    client.post(f"/orders/{order.number}/cancel/")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Stock.objects.get(product=product).reserved == 0
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "Отменён" in page and "Отменить заказ" not in page


def test_after_shipping_cancel_is_refused_with_a_message(client, moscow_delivery, stocked_product):
    from orders.services import order_mark_paid, order_ship

    user = UserFactory()
    order = place(cart_of((stocked_product(quantity=5), 1), user=user), moscow_delivery["point"], user=user)
    order_mark_paid(order_id=order.pk)
    order_ship(order_id=order.pk)
    client.force_login(user)

    page = client.post(f"/orders/{order.number}/cancel/", follow=True).content.decode()

    assert "Заказ уже передан в доставку — отменить его нельзя" in page
    assert Order.objects.get().status == OrderStatus.SHIPPED


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (OrderStatus.AWAITING_PAYMENT, OrderStatus.SHIPPED),
        (OrderStatus.AWAITING_PAYMENT, OrderStatus.COMPLETED),
        (OrderStatus.CANCELLED, OrderStatus.SHIPPED),
        (OrderStatus.COMPLETED, OrderStatus.CANCELLED),
        (OrderStatus.SHIPPED, OrderStatus.AWAITING_PAYMENT),
    ],
)
def test_order_set_status_refuses_moves_off_the_map(moscow_delivery, stocked_product, start, to):
    order = place(cart_of((stocked_product(quantity=5), 1)), moscow_delivery["point"])
    Order.objects.filter(pk=order.pk).update(status=start)
    order.refresh_from_db()

    with pytest.raises(StatusMoveRefused):
        order_set_status(order=order, to=to)

    assert Order.objects.get().status == start
    assert order.history.count() == 1


def test_order_set_status_records_who_and_when(moscow_delivery, stocked_product):
    staff = UserFactory(is_staff=True)
    order = place(cart_of((stocked_product(quantity=5), 1)), moscow_delivery["point"])

    order_set_status(order=order, to=OrderStatus.CANCELLED, author=staff, note="Покупатель позвонил")

    change = order.history.last()
    assert (change.from_status, change.to_status, change.author, change.note) == (
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.CANCELLED,
        staff,
        "Покупатель позвонил",
    )
    assert change.created_at is not None


def test_documents_page_lists_downloads(client, moscow_delivery, stocked_product):
    seller()
    user = UserFactory()
    order = place(cart_of((stocked_product(quantity=5), 1), user=user), moscow_delivery["point"], user=user)
    from orders.services import order_mark_paid

    order_mark_paid(order_id=order.pk)
    order_documents_make(order_id=order.pk)
    client.force_login(user)

    page = client.get(f"/orders/{order.number}/").content.decode()

    assert f"/orders/{order.number}/documents/{DocumentKind.RECEIPT}.pdf" in page
    assert f"/orders/{order.number}/documents/{DocumentKind.WARRANTY}.pdf" in page


def test_an_order_placed_as_a_guest_stays_visible_after_signing_in(client, guest_with_cart, moscow_delivery):
    checkout_session(client, pickup_data(moscow_delivery["point"]))
    client.post("/checkout/payment/", {"payment_method": "card"})
    order = Order.objects.get()

    client.force_login(UserFactory())

    assert client.get(f"/orders/{order.number}/").status_code == 200


def test_shipping_an_order_paid_on_receipt_makes_its_documents(
    moscow_delivery, stocked_product, django_capture_on_commit_callbacks
):
    from orders.services import order_ship

    seller()
    order = place(
        cart_of((stocked_product(quantity=5), 1)),
        moscow_delivery["point"],
        method="on_receipt",
        delivery="pickup",
        pickup_point=str(moscow_delivery["store"].pk),
    )

    with django_capture_on_commit_callbacks(execute=True):
        order_ship(order_id=order.pk)

    assert set(order.documents.values_list("kind", flat=True)) == {DocumentKind.RECEIPT, DocumentKind.WARRANTY}
    assert Stock.objects.get().quantity == 4
