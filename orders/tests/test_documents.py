import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from accounts.tests.factories import CompanyUserFactory
from orders.documents import amount_in_words
from orders.models import DocumentKind, OrderDocument, PaymentMethod
from orders.services import order_mark_paid, order_set_serials
from orders.services.documents import order_documents_make, orders_missing_documents
from orders.tests.factories import cart_of, place, seller

pytestmark = pytest.mark.django_db


def text_of(document: OrderDocument) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (Decimal("12345.67"), "Двенадцать тысяч триста сорок пять рублей 67 копеек"),
        (Decimal("1.01"), "Один рубль 01 копейка"),
        (Decimal("22"), "Двадцать два рубля 00 копеек"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


@pytest.fixture
def company_order(moscow_delivery, stocked_product):
    seller()
    user = CompanyUserFactory()
    camera = stocked_product("12200.00", quantity=5, product__name="Камера уличная IP-4", product__warranty_months=24)
    company = user.company
    return place(
        cart_of((camera, 1), user=user),
        moscow_delivery["point"],
        user=user,
        method=PaymentMethod.INVOICE,
        company_name=company.name,
        inn=company.inn,
        kpp=company.kpp,
        legal_address=company.legal_address,
        contact_name="Пётр Иванов",
    )


def test_invoice_carries_the_payment_block_vat_and_total_in_words(company_order):
    order_documents_make(order_id=company_order.pk)

    text = text_of(company_order.documents.get(kind=DocumentKind.INVOICE))
    assert f"Счёт на оплату № {company_order.number}" in text
    assert "БИК 044525225" in text
    assert "30101810400000000225" in text and "40702810938000012345" in text
    assert "ИНН 7701234560" in text and "КПП 770101001" in text
    assert "ИНН 7707083893" in text  # the buyer
    assert "Камера уличная IP-4" in text
    assert "В т.ч. НДС 22%: 2 235,89" in text.replace("\xa0", " ")
    assert "Двенадцать тысяч триста девяносто девять рублей 00 копеек" in text
    assert "Счёт действителен до" in text


def test_paid_b2c_order_has_a_non_fiscal_receipt_and_a_warranty_card_with_serials(moscow_delivery, stocked_product):
    seller()
    camera = stocked_product("5000.00", quantity=5, product__name="Камера IP-2", product__warranty_months=36)
    order = place(cart_of((camera, 2)), moscow_delivery["point"])
    order_mark_paid(order_id=order.pk)
    order_set_serials(line_id=order.lines.get().pk, serial_numbers="SN-0001\n SN-0002 \n")

    made = order_documents_make(order_id=order.pk)

    assert made == [DocumentKind.RECEIPT, DocumentKind.WARRANTY]
    receipt = text_of(order.documents.get(kind=DocumentKind.RECEIPT))
    assert f"Товарный чек по заказу {order.number}" in receipt
    assert "Не является кассовым чеком" in receipt
    assert "НДС 22%" in receipt and "https://ohrana-plus.ru" in receipt
    assert "Полная оплата: Банковская карта" in receipt
    warranty = text_of(order.documents.get(kind=DocumentKind.WARRANTY))
    assert f"Гарантийный талон к заказу {order.number}" in warranty
    assert "SN-0001" in warranty and "SN-0002" in warranty
    assert "36 мес." in warranty
    assert "ООО «Охрана Плюс»" in warranty


def test_making_documents_again_overwrites_them(company_order):
    order_documents_make(order_id=company_order.pk)
    first = company_order.documents.get().file.name

    call_command("regenerate_documents", company_order.number)

    document = company_order.documents.get()
    assert OrderDocument.objects.count() == 1
    assert document.file.name == first
    assert document.file.storage.exists(document.file.name)


def test_the_sweep_finds_orders_whose_documents_were_never_made(company_order):
    assert orders_missing_documents() == [company_order.pk]

    order_documents_make(order_id=company_order.pk)

    assert orders_missing_documents() == []


def test_a_broker_that_is_down_does_not_fail_the_payment(
    moscow_delivery, stocked_product, monkeypatch, django_capture_on_commit_callbacks
):
    from orders import tasks

    def down(**kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.order_documents_task, "delay", down)
    monkeypatch.setattr(tasks.order_paid_email_task, "delay", down)
    seller()
    order = place(cart_of((stocked_product(quantity=5), 1)), moscow_delivery["point"])

    with django_capture_on_commit_callbacks(execute=True):
        assert order_mark_paid(order_id=order.pk) is True

    assert orders_missing_documents() == [order.pk]
    monkeypatch.undo()
    assert tasks.order_documents_sweep_task() == 1
    assert orders_missing_documents() == []
