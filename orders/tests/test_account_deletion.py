"""Deleting an account clears the person from their orders; accounting keeps a company's invoices."""

import pytest

from accounts.services import account_delete
from accounts.tests.factories import CompanyUserFactory, UserFactory
from accounts.tests.test_account_deletion import _every_stored_value
from orders.models import DocumentKind, Order
from orders.services import order_complete, order_mark_paid, order_return_request, order_ship
from orders.services.documents import order_documents_make
from orders.tests.factories import cart_of, place, seller

pytestmark = pytest.mark.django_db

PERSONAL = ["Уникальнова", "Ираида", "unikalnova@example.org", "+79265550199", "Лихачёвский", "не подошла по цвету"]


def test_a_deleted_customers_orders_keep_no_name_contact_address_or_personal_document(moscow_delivery, stocked_product):
    seller()
    user = UserFactory(email="unikalnova@example.org", first_name="Ираида", last_name="Уникальнова")
    order = place(
        cart_of((stocked_product("5000.00", quantity=5), 2), user=user),
        moscow_delivery["point"],
        user=user,
        full_name="Уникальнова Ираида Петровна",
        email="unikalnova@example.org",
        phone="+7 926 555-01-99",
        delivery="post",
        courier_address="141707, Долгопрудный, Лихачёвский проезд, 9",
    )
    order_mark_paid(order_id=order.pk)
    order_ship(order_id=order.pk)
    order_complete(order_id=order.pk)
    order_return_request(order_id=order.pk, quantities={order.lines.get().pk: 1}, reason="не подошла по цвету")
    order_documents_make(order_id=order.pk)
    files = [(d.file.storage, d.file.name) for d in order.documents.all()]
    assert files
    assert all(storage.exists(name) for storage, name in files)
    assert any(v in value for _, value in _every_stored_value() for v in PERSONAL)  # the check can see them

    account_delete(user=user)

    leaks = [(table, value) for table, value in _every_stored_value() for v in PERSONAL if v in value]
    assert leaks == []
    order.refresh_from_db()
    assert (order.total, order.lines.count(), order.status) == (order.total, 1, "completed")
    assert not order.documents.exists()
    assert not any(storage.exists(name) for storage, name in files)


def test_a_company_buyers_deletion_keeps_the_invoice_issued_to_the_company(moscow_delivery, stocked_product):
    seller()
    user = CompanyUserFactory()
    company = user.company
    order = place(
        cart_of((stocked_product("5000.00", quantity=5), 1), user=user),
        moscow_delivery["point"],
        user=user,
        method="invoice",
        company_name=company.name,
        inn=company.inn,
        kpp=company.kpp,
        legal_address=company.legal_address,
        contact_name="Пётр Иванов",
    )
    order_documents_make(order_id=order.pk)

    account_delete(user=user)

    order = Order.objects.get()
    assert (order.company_name, order.inn) == (company.name, company.inn)
    assert (order.contact_name, order.full_name, order.email, order.phone) == ("", "", "", "")
    assert list(order.documents.values_list("kind", flat=True)) == [DocumentKind.INVOICE]
