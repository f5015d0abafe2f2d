"""The documents sweep reads a `documents_due` flag: set by what needs documents, cleared when they are all made."""

import importlib

import pytest
from django.apps import apps

from accounts.tests.factories import CompanyUserFactory
from orders import tasks
from orders.models import DocumentKind, Order, OrderDocument, PaymentMethod
from orders.services import documents as documents_service
from orders.services import order_cancel, order_mark_paid, order_ship
from orders.services.documents import order_documents_make, order_documents_request, orders_missing_documents
from orders.tests.factories import cart_of, place, seller

pytestmark = pytest.mark.django_db


def due(order) -> bool:
    return Order.objects.values_list("documents_due", flat=True).get(pk=order.pk)


@pytest.fixture
def invoice_order(moscow_delivery, stocked_product):
    """A company order placed by invoice whose documents task never ran (no commit in the test)."""
    seller()
    user = CompanyUserFactory()
    company = user.company
    return place(
        cart_of((stocked_product("1000.00"), 1), user=user),
        moscow_delivery["point"],
        user=user,
        method=PaymentMethod.INVOICE,
        company_name=company.name,
        inn=company.inn,
        kpp=company.kpp,
        legal_address=company.legal_address,
        contact_name="Пётр Иванов",
    )


@pytest.fixture
def card_order(moscow_delivery, stocked_product):
    seller()
    return place(cart_of((stocked_product("1000.00"), 1)), moscow_delivery["point"])


def test_an_order_placed_by_card_is_not_due_for_documents(card_order):
    assert due(card_order) is False
    assert orders_missing_documents() == []


def test_placing_by_invoice_flags_the_order_and_making_its_documents_clears_it(invoice_order):
    assert due(invoice_order) is True

    assert order_documents_make(order_id=invoice_order.pk) == [DocumentKind.INVOICE]

    assert due(invoice_order) is False


@pytest.mark.parametrize("move", ["paid", "shipped"])
def test_payment_and_shipment_flag_the_order(invoice_order, move):
    order_documents_make(order_id=invoice_order.pk)

    order_mark_paid(order_id=invoice_order.pk)
    if move == "shipped":
        order_documents_make(order_id=invoice_order.pk)
        order_ship(order_id=invoice_order.pk)

    assert due(invoice_order) is True


def test_cancelling_an_order_with_an_invoice_flags_it_until_the_annulled_invoice_is_made(invoice_order):
    order_documents_make(order_id=invoice_order.pk)

    order_cancel(order_id=invoice_order.pk)

    assert orders_missing_documents() == [invoice_order.pk]
    assert order_documents_make(order_id=invoice_order.pk) == [DocumentKind.INVOICE]
    assert OrderDocument.objects.get(order=invoice_order).cancelled_at is not None
    assert orders_missing_documents() == []


def test_cancelling_an_order_without_documents_does_not_flag_it(card_order):
    order_cancel(order_id=card_order.pk)

    assert due(card_order) is False


def test_the_sweep_makes_flagged_orders_once_and_clears_them(invoice_order, card_order):
    order_mark_paid(order_id=card_order.pk)

    assert tasks.order_documents_sweep_task() == 2

    assert set(OrderDocument.objects.values_list("kind", flat=True)) == {
        DocumentKind.INVOICE,
        DocumentKind.RECEIPT,
        DocumentKind.WARRANTY,
    }
    assert tasks.order_documents_sweep_task() == 0


def test_the_sweep_reads_only_flagged_orders_in_one_query(invoice_order, card_order, django_assert_num_queries):
    order_mark_paid(order_id=card_order.pk)
    Order.objects.filter(pk=card_order.pk).update(documents_due=False)

    with django_assert_num_queries(1):
        assert orders_missing_documents() == [invoice_order.pk]


def test_an_order_that_moved_on_while_its_documents_were_made_stays_flagged(invoice_order, monkeypatch):
    render = documents_service.document_render

    def paid_meanwhile(*, order, document):
        monkeypatch.setattr(documents_service, "document_render", render)
        order_documents_request(order_id=order.pk)  # what order_mark_paid does in another process
        return render(order=order, document=document)

    monkeypatch.setattr(documents_service, "document_render", paid_meanwhile)

    order_documents_make(order_id=invoice_order.pk)

    assert due(invoice_order) is True
    order_documents_make(order_id=invoice_order.pk)
    assert due(invoice_order) is False


def test_the_migration_flags_existing_orders_that_lack_documents(invoice_order, card_order):
    made = place(cart_of((card_order.lines.get().product, 1)), card_order.pickup_point)
    order_mark_paid(order_id=made.pk)
    order_documents_make(order_id=made.pk)
    Order.objects.update(documents_due=False)
    migration = importlib.import_module("orders.migrations.0008_documents_due")

    migration.flag_orders_lacking_documents(apps, None)

    assert set(Order.objects.filter(documents_due=True).values_list("pk", flat=True)) == {invoice_order.pk}
