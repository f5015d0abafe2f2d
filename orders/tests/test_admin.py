import pytest

from accounts.tests.factories import CompanyUserFactory, UserFactory
from catalog.models import Stock
from orders.models import DocumentKind, Order, OrderStatus, PaymentMethod
from orders.tests.factories import cart_of, place, seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def management(prefix: str, count: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(count),
        f"{prefix}-INITIAL_FORMS": str(count),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def invoice_order(moscow_delivery, stocked_product):
    user = CompanyUserFactory()
    company = user.company
    return place(
        cart_of((stocked_product(quantity=5), 2), user=user),
        moscow_delivery["point"],
        user=user,
        method=PaymentMethod.INVOICE,
        company_name=company.name,
        inn=company.inn,
        kpp=company.kpp,
        legal_address=company.legal_address,
        contact_name="Пётр Иванов",
    )


def test_invoice_paid_action_pays_the_order_and_makes_the_paid_documents(
    staff_client, moscow_delivery, stocked_product, django_capture_on_commit_callbacks
):
    seller()
    order = invoice_order(moscow_delivery, stocked_product)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/orders/order/", {"action": "invoice_paid", "_selected_action": [order.pk]}, follow=True
        )

    assert "Отмечено оплаченными: 1" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.history.last().note == "Оплата по счёту получена"
    assert set(order.documents.values_list("kind", flat=True)) == {DocumentKind.INVOICE, DocumentKind.WARRANTY}
    stock = Stock.objects.get()
    assert (stock.quantity, stock.reserved) == (5, 2)
    payment = order.payments.get()
    assert (payment.provider, payment.status, payment.amount) == ("bank", "succeeded", order.total)


def test_invoice_paid_action_refuses_a_card_order(staff_client, moscow_delivery, stocked_product):
    order = place(cart_of((stocked_product(quantity=5), 1)), moscow_delivery["point"])

    response = staff_client.post(
        "/admin/orders/order/", {"action": "invoice_paid", "_selected_action": [order.pk]}, follow=True
    )

    assert "это не неоплаченный заказ по счёту" in response.content.decode()
    assert Order.objects.get().status == OrderStatus.AWAITING_PAYMENT


def test_serial_numbers_entered_in_admin_remake_the_warranty_card(
    staff_client, moscow_delivery, stocked_product, django_capture_on_commit_callbacks
):
    from orders.services import order_mark_paid

    seller()
    order = place(cart_of((stocked_product(quantity=5), 1)), moscow_delivery["point"])
    order_mark_paid(order_id=order.pk)
    line = order.lines.get()
    page = staff_client.get(f"/admin/orders/order/{order.pk}/change/")
    assert page.status_code == 200

    data = management("lines", 1) | management("history", 0) | management("documents", 0) | management("notices", 0)
    data |= management("payments", 0) | management("refunds", 0) | management("returns", 0)
    data |= {"lines-0-id": str(line.pk), "lines-0-order": str(order.pk), "lines-0-serial_numbers": "SN-42"}
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/orders/order/{order.pk}/change/", data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    line.refresh_from_db()
    assert line.serial_numbers == "SN-42"
    assert order.documents.filter(kind=DocumentKind.WARRANTY).exists()


def test_order_admin_lists_and_filters(staff_client, moscow_delivery, stocked_product):
    order = place(cart_of((stocked_product(quantity=5), 1)), moscow_delivery["point"])

    page = staff_client.get("/admin/orders/order/?status__exact=awaiting_payment").content.decode()

    assert order.number in page
    assert staff_client.get("/admin/orders/seller/").status_code == 200
    assert staff_client.get("/admin/payments/payment/").status_code == 200
