"""A document is issued once, with its number and both parties as they were; later edits never change it."""

import pytest

from orders.models import DocumentKind, OrderDocument, Seller
from orders.services import order_cancel
from orders.services.documents import order_document_correct, order_documents_make
from orders.tests.test_documents import company_order, text_of  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_an_invoice_keeps_the_seller_and_buyer_it_was_issued_with(company_order):  # noqa: F811
    order_documents_make(order_id=company_order.pk)
    Seller.objects.update(settlement_account="40702810500000000001", name="ООО «Новое имя»")
    company_order.company_name = "ООО «Переименованный покупатель»"
    company_order.save(update_fields=["company_name"])

    order_documents_make(order_id=company_order.pk)

    invoice = company_order.documents.get(kind=DocumentKind.INVOICE)
    assert invoice.number == company_order.number
    assert invoice.seller["settlement_account"] == "40702810938000012345"
    assert invoice.seller["name"] == "ООО «Охрана Плюс»"
    assert invoice.seller["bik"] == "044525225" and invoice.seller["ogrn"] == "1027700132195"
    assert invoice.buyer["inn"] == "7707083893" and invoice.buyer["contact"] == "Пётр Иванов"
    text = text_of(invoice)
    assert "40702810938000012345" in text and "40702810500000000001" not in text
    assert "Новое имя" not in text and "Переименованный" not in text


def test_a_correction_is_a_new_document_naming_the_one_it_corrects(company_order):  # noqa: F811
    order_documents_make(order_id=company_order.pk)
    original = company_order.documents.get()
    Seller.objects.update(settlement_account="40702810500000000001")

    correction = order_document_correct(document_id=original.pk)

    assert correction.corrects == original
    assert correction.number == f"{company_order.number}-И1"
    assert correction.seller["settlement_account"] == "40702810500000000001"
    text = text_of(correction)
    assert f"Счёт на оплату № {company_order.number}-И1" in text
    assert f"Исправление счёта № {company_order.number}" in text
    assert "40702810500000000001" in text
    assert "40702810938000012345" in text_of(OrderDocument.objects.get(pk=original.pk))


def test_cancelling_an_invoiced_order_annuls_its_invoice(company_order, django_capture_on_commit_callbacks):  # noqa: F811
    order_documents_make(order_id=company_order.pk)
    assert "Аннулирован" not in text_of(company_order.documents.get())

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=company_order.pk)

    invoice = company_order.documents.get()
    assert invoice.cancelled_at is not None
    assert "Аннулирован" in text_of(invoice)
