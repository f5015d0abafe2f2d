"""Documents add up: every row's quantity × price and discount give its sum, and the totals give the order's."""

import io
import itertools
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from core.vat import VatRate, vat_percent
from orders.documents import amount_in_words, document_issue, document_render
from orders.models import DocumentKind, Order, OrderLine, OrderStatus, PaymentMethod, Seller
from orders.pricing import DeliveryTerms, PriceLine, PromoKind, PromoTerms, price_checkout
from orders.tests.factories import seller

pytestmark = pytest.mark.django_db

MONEY = r"\d{1,3}(?:\xa0\d{3})*,\d{2}"
ROW = re.compile(
    rf"(\d+) Товар (\d+) \(T-\d+\) (\d+) шт\. ({MONEY}) ({MONEY}) ({MONEY}) ({MONEY}) "
    rf"(НДС \d+%|Без налога \(НДС\)) ({MONEY}|—)"
)
numbers = itertools.count(1)


def money(text: str) -> Decimal:
    return Decimal(text.replace("\xa0", "").replace(",", "."))


def pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    # Ordinary whitespace (line breaks of wrapped cells) becomes one space; the non-breaking space inside
    # amounts («12 990,00») stays, so neighbouring amounts never run together.
    return re.sub(r"[ \t\r\n]+", " ", text)


line_strategy = st.tuples(
    st.integers(min_value=1, max_value=5_000_000).map(lambda kopecks: Decimal(kopecks) / 100),
    st.integers(min_value=1, max_value=25),
    st.sampled_from([rate.value for rate in VatRate]),
)


def order_of(lines, *, percent: int, points_share: int, delivery: int, kind: str) -> Order:
    """An order priced by the shop's own pricing function, saved with its lines."""
    price_lines = [
        PriceLine(key=n, name=f"Товар {n}", price=price, quantity=quantity, vat_rate=rate)
        for n, (price, quantity, rate) in enumerate(lines, start=1)
    ]
    promo = PromoTerms(code="SALE", kind=PromoKind.PERCENT, value=Decimal(percent)) if percent else None
    first = price_checkout(lines=price_lines, promo=promo)
    points = first.points_cap * points_share // 100
    pricing = price_checkout(
        lines=price_lines,
        promo=promo,
        points=points,
        points_balance=points,
        delivery=DeliveryTerms(cost=Decimal(delivery)) if delivery else None,
    )
    assert not pricing.errors
    company = kind == DocumentKind.INVOICE
    order = Order.objects.create(
        number=f"2026-9{next(numbers):05d}",
        status=OrderStatus.PAID,
        payment_method=PaymentMethod.INVOICE if company else PaymentMethod.CARD,
        is_company=company,
        full_name="Иван Петров",
        company_name="ООО «Покупатель»" if company else "",
        inn="7707083893" if company else "",
        legal_address="г. Москва",
        delivery_kind="courier",
        delivery_name="Курьер",
        goods=pricing.goods,
        discount=pricing.discount,
        points=pricing.points,
        delivery_cost=pricing.delivery,
        delivery_vat=pricing.delivery_vat,
        total=pricing.total,
        vat=pricing.vat,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            name=line.name,
            sku=f"T-{line.key}",
            price=line.price,
            quantity=line.quantity,
            gross=line.gross,
            discount=line.discount,
            points=line.points,
            total=line.total,
            vat_rate=line.vat_rate,
            vat=line.vat,
        )
        for line in pricing.lines
    )
    return order


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(line_strategy, min_size=1, max_size=5),
    percent=st.sampled_from([0, 5, 10, 33]),
    points_share=st.sampled_from([0, 50, 100]),
    delivery=st.sampled_from([0, 390, 1234]),
    kind=st.sampled_from([DocumentKind.INVOICE, DocumentKind.RECEIPT]),
)
def test_every_row_and_total_of_a_document_adds_up_to_the_kopeck(lines, percent, points_share, delivery, kind):
    # Examples share one test transaction: the seller is made once.
    the_seller = Seller.objects.first() or seller()
    order = order_of(lines, percent=percent, points_share=points_share, delivery=delivery, kind=kind)
    document = document_issue(order=order, kind=kind, seller=the_seller)

    text = pdf_text(document_render(order=order, document=document))

    rows = ROW.findall(text)
    assert len(rows) == len(lines), text
    vat_by_rate: dict[str, Decimal] = {}
    total = Decimal("0.00")
    for position, (n, name_n, quantity, price, gross, discount, row_total, label, vat) in enumerate(rows, start=1):
        assert int(n) == int(name_n) == position
        assert int(quantity) * money(price) == money(gross)
        assert money(gross) - money(discount) == money(row_total)
        if label.startswith("НДС"):
            vat_by_rate[label] = vat_by_rate.get(label, Decimal("0.00")) + money(vat)
        else:
            assert vat == "—"
        total += money(row_total)
    if order.delivery_cost:
        delivery_row = re.search(rf"Доставка: Курьер 1 усл\. ({MONEY}) ({MONEY}) 0,00 ({MONEY}) ", text)
        assert delivery_row and len(set(delivery_row.groups())) == 1, text
        assert money(delivery_row[1]) == order.delivery_cost
        label = f"НДС {vat_percent(order.delivery_vat_rate)}%"
        vat_by_rate[label] = vat_by_rate.get(label, Decimal("0.00")) + order.delivery_vat
        total += order.delivery_cost
    assert total == order.total
    assert re.search(rf"Итого: {money_text(total)} ", text), text
    assert f"Всего к оплате: {money_text(total)} " in text
    for label, amount in vat_by_rate.items():
        assert f"В т.ч. {label}: {money_text(amount)} " in text
    assert sum(vat_by_rate.values(), Decimal("0.00")) == order.vat
    if any(rate == VatRate.NO_VAT for _, _, rate in lines):
        assert "Без налога (НДС): —" in text
    assert "Без НДС" not in text
    count = len(lines) + (1 if order.delivery_cost else 0)
    assert f"Всего наименований {count}, на сумму {money_text(total)} руб." in text
    assert amount_in_words(total) in text


def money_text(amount: Decimal) -> str:
    whole, kopecks = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", "\xa0") + f",{kopecks}"
