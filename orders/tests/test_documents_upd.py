"""A company order gets its УПД at shipment: the ФНС form, its figures to the kopeck, issued once."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounts.tests.factories import CompanyUserFactory, UserFactory
from core.vat import VatRate
from orders.documents import DocumentRow, DocumentTotals, seller_pays_vat, upd_table
from orders.models import DocumentKind, OrderDocument, PaymentMethod
from orders.services import order_mark_paid, order_ship
from orders.services.documents import order_document_correct, order_documents_make, orders_missing_documents
from orders.tests.factories import cart_of, place, seller

pytestmark = pytest.mark.django_db


def text_of(document: OrderDocument) -> str:
    """The PDF's text, runs of ordinary whitespace as one space; amounts keep their non-breaking spaces."""
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"[ \t\r\n]+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def rub(amount: Decimal) -> str:
    """12 345,67 as the documents print it (a non-breaking space between thousands)."""
    whole, kopecks = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", "\xa0") + "," + kopecks


def shipped(order, django_capture_on_commit_callbacks):
    """Pay and ship an order; the documents task runs after commit, as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order_id=order.pk)
    with django_capture_on_commit_callbacks(execute=True):
        order_ship(order_id=order.pk)
    order.refresh_from_db()
    return order


def company_order(moscow_delivery, buyer, products, delivery="point"):
    place_to = moscow_delivery["point"] if delivery == "point" else moscow_delivery["store"]
    company = buyer.company
    return place(
        cart_of(*products, user=buyer),
        place_to,
        user=buyer,
        method=PaymentMethod.INVOICE,
        delivery=delivery,
        pickup_point=str(place_to.pk),
        company_name=company.name,
        inn=company.inn,
        kpp=company.kpp,
        legal_address=company.legal_address,
        contact_name="Пётр Иванов",
    )


@pytest.fixture
def buyer():
    return CompanyUserFactory()


@pytest.fixture
def upd_order(moscow_delivery, stocked_product, buyer, django_capture_on_commit_callbacks):
    """Two cameras at 22%, three sirens at 10% and 199 ₽ delivery to a pickup point, paid by invoice, shipped."""
    seller()
    camera = stocked_product("12200.00", product__name="Камера уличная IP-4", product__sku="CAM-IP4")
    siren = stocked_product("1234.55", product__name="Сирена СВ-1", product__sku="SIR-1", product__vat_rate="10")
    order = company_order(moscow_delivery, buyer, [(camera, 2), (siren, 3)])
    return shipped(order, django_capture_on_commit_callbacks)


def test_a_shipped_company_order_has_a_upd_of_status_1_in_the_form(upd_order):
    upd = upd_order.documents.get(kind=DocumentKind.UPD)

    text = text_of(upd)

    assert "Универсальный передаточный документ" in text
    assert "Статус: 1" in text
    assert "1 – счёт-фактура и передаточный документ (акт) 2 – передаточный документ (акт)" in text
    assert f"Счёт-фактура № {upd_order.number} от" in text
    assert "Исправление № — от — (1а)" in text
    assert "Продавец: ООО «Охрана Плюс» (2)" in text
    assert "ИНН/КПП продавца: 7701234560/770101001 (2б)" in text
    assert "Грузоотправитель и его адрес: он же (3)" in text
    assert "Покупатель: ПАО Сбербанк (6)" in text
    assert "ИНН/КПП покупателя: 7707083893/773601001 (6б)" in text
    assert "Валюта: наименование, код Российский рубль, 643 (7)" in text
    assert "Руководитель организации или иное уполномоченное лицо" in text and "Петров П. П." in text
    assert "Главный бухгалтер" in text and "Сидорова А. А." in text
    assert f"Основание передачи (сдачи) / получения (приёмки) Заказ № {upd_order.number} от" in text
    for mark in ("[8]", "[9]", "[10]", "[11]", "[12]", "[13]", "[14]", "[15]", "[16]", "[17]", "[18]", "[19]"):
        assert mark in text
    assert "ООО «Охрана Плюс», ИНН/КПП 7701234560/770101001 [14]" in text
    assert "ПАО Сбербанк, ИНН/КПП 7707083893/773601001 [19]" in text


def test_every_upd_row_and_the_total_to_pay_equal_the_order_to_the_kopeck(upd_order):
    text = text_of(upd_order.documents.get(kind=DocumentKind.UPD))

    net_sum = Decimal("0.00")
    for position, line in enumerate(upd_order.lines.order_by("pk"), start=1):
        net = line.total - line.vat
        net_sum += net
        price = (net / line.quantity).quantize(Decimal("0.01"))
        row = (
            f"{position} {line.sku} {line.name} — 796 шт {line.quantity} {rub(price)} {rub(net)} "
            f"без акциза {line.vat_rate}% {rub(line.vat)} {rub(line.total)} — — —"
        )
        assert row in text, text
    delivery_net = upd_order.delivery_cost - upd_order.delivery_vat
    net_sum += delivery_net
    delivery = (
        f"3 — Доставка: {upd_order.delivery_name} — 876 усл. ед. 1 {rub(delivery_net)} {rub(delivery_net)} "
        f"без акциза 22% {rub(upd_order.delivery_vat)} {rub(upd_order.delivery_cost)}"
    )
    assert delivery in text, text
    assert upd_order.total == Decimal("28302.65")  # 2 × 12 200 + 3 × 1 234,55 + 199
    assert f"Всего к оплате {rub(net_sum)} X {rub(upd_order.vat)} {rub(upd_order.total)}" in text, text
    assert net_sum + upd_order.vat == upd_order.total


def test_a_seller_whose_every_line_is_without_vat_issues_status_2(
    moscow_delivery, stocked_product, buyer, django_capture_on_commit_callbacks
):
    seller()
    sensor = stocked_product("990.00", product__name="Датчик протечки", product__vat_rate=VatRate.NO_VAT)
    order = shipped(
        company_order(moscow_delivery, buyer, [(sensor, 4)], delivery="pickup"), django_capture_on_commit_callbacks
    )

    text = text_of(order.documents.get(kind=DocumentKind.UPD))

    assert "Статус: 2" in text and "Статус: 1" not in text
    assert "шт 4 990,00 3\xa0960,00 без акциза без НДС без НДС 3\xa0960,00" in text, text
    assert "Всего к оплате 3\xa0960,00 X без НДС 3\xa0960,00" in text


@pytest.mark.parametrize(
    ("rates", "pays"), [(["none"], False), (["none", "none"], False), (["none", "10"], True), (["0"], True)]
)
def test_the_seller_pays_vat_when_any_row_carries_a_rate(rates, pays):
    one = Decimal("100.00")
    rows = [
        DocumentRow(n, "x", "", "шт.", "796", 1, one, one, Decimal("0.00"), one, rate, "", Decimal("0.00"))
        for n, rate in enumerate(rates, start=1)
    ]
    table = DocumentTotals(rows, one, Decimal("0.00"), one, Decimal("0.00"), [], "")

    assert seller_pays_vat(rows) is pays
    assert upd_table(table).status == (1 if pays else 2)


def test_a_upd_is_issued_once_and_a_correction_is_a_new_document(upd_order):
    upd = upd_order.documents.get(kind=DocumentKind.UPD)
    first = text_of(upd)

    order_documents_make(order_id=upd_order.pk)
    correction = order_document_correct(document_id=upd.pk)

    assert upd_order.documents.filter(kind=DocumentKind.UPD).count() == 2
    assert text_of(OrderDocument.objects.get(pk=upd.pk)) == first
    corrected = text_of(correction)
    assert correction.corrects == upd and correction.number == f"{upd_order.number}-И1"
    assert f"Счёт-фактура № {upd_order.number} от" in corrected
    assert re.search(r"Исправление № 1 от \d+ \w+ \d{4} г\. \(1а\)", corrected), corrected


def test_a_private_buyers_shipped_order_has_no_upd(
    moscow_delivery, stocked_product, django_capture_on_commit_callbacks
):
    seller()
    owner = UserFactory()
    order = place(cart_of((stocked_product(), 1), user=owner), moscow_delivery["point"], user=owner)

    shipped(order, django_capture_on_commit_callbacks)

    assert not order.documents.filter(kind=DocumentKind.UPD).exists()
    assert order.documents.filter(kind=DocumentKind.RECEIPT).exists()


def test_the_company_buyer_and_staff_download_the_upd_and_a_stranger_gets_404(upd_order, buyer, client):
    from django.contrib.auth.models import Permission

    url = f"/orders/{upd_order.number}/documents/upd.pdf"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404

    client.force_login(buyer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "УПД" in client.get(upd_order.get_absolute_url()).content.decode()

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_the_sweep_finds_a_shipped_company_order_whose_upd_was_never_made(
    moscow_delivery, stocked_product, buyer, django_capture_on_commit_callbacks
):
    seller()
    order = company_order(moscow_delivery, buyer, [(stocked_product("1000.00"), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order_id=order.pk)
    order_ship(order_id=order.pk)  # its documents task is never sent: the broker was down

    assert orders_missing_documents() == [order.pk]

    assert "upd" in order_documents_make(order_id=order.pk)
    assert orders_missing_documents() == []
