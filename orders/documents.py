"""Order documents: PDFs rendered from Django templates with WeasyPrint, overwritten when made again."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from num2words import num2words

from core.banking import add_working_days
from core.money import to_kopecks
from core.vat import VatRate, vat_percent
from orders.models import DocumentKind, Order, OrderDocument, OrderStatus, PaymentMethod, Seller

TEMPLATES = {
    DocumentKind.INVOICE: "orders/documents/invoice.html",
    DocumentKind.RECEIPT: "orders/documents/receipt.html",
    DocumentKind.WARRANTY: "orders/documents/warranty.html",
    DocumentKind.UPD: "orders/documents/upd.html",
}
# Everything a document prints of the seller; `id` and `updated_at` are the record's, not the seller's.
SELLER_KEPT = frozenset(f.attname for f in Seller._meta.fields if f.attname not in {"id", "updated_at"})
PAID_STATUSES = frozenset({OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED})
SHIPPED_STATUSES = frozenset({OrderStatus.SHIPPED, OrderStatus.COMPLETED})


def amount_in_words(amount: Decimal) -> str:
    """«Двенадцать тысяч триста сорок пять рублей 67 копеек», as an invoice states its total."""
    amount = to_kopecks(amount)
    rubles = int(amount)
    kopecks = int((amount - rubles) * 100)
    words = num2words(rubles, lang="ru")
    rub = _plural(rubles, "рубль", "рубля", "рублей")
    kop = _plural(kopecks, "копейка", "копейки", "копеек")
    text = f"{words} {rub} {kopecks:02d} {kop}"
    return text[0].upper() + text[1:]


def _plural(n: int, one: str, few: str, many: str) -> str:
    from core.text import plural_form

    return plural_form(n, one, few, many)


def documents_due(order: Order) -> list[str]:
    """The documents an order has by now: the invoice once placed by invoice, the receipt and warranty once paid,
    a company's УПД once shipped."""
    kinds = []
    if order.status == OrderStatus.CANCELLED:
        return kinds
    if order.payment_method == PaymentMethod.INVOICE:
        kinds.append(DocumentKind.INVOICE)
    paid = order.status in PAID_STATUSES
    if paid and not order.is_company:
        kinds.append(DocumentKind.RECEIPT)
    if paid or (order.status == OrderStatus.ACCEPTED and order.lines.filter(serial_numbers__gt="").exists()):
        kinds.append(DocumentKind.WARRANTY)
    if order.is_company and order.status in SHIPPED_STATUSES:
        kinds.append(DocumentKind.UPD)
    return kinds


NO_VAT_LABEL = "Без налога (НДС)"


def vat_label(rate: str) -> str:
    """«НДС 22%», or «Без налога (НДС)» as documents say it."""
    percent = vat_percent(rate)
    return f"НДС {percent}%" if percent is not None else NO_VAT_LABEL


def vat_groups(amounts: Iterable[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """VAT summed by rate and labelled as documents print it: («НДС 22%», 2 235,89), («Без налога (НДС)», 0,00)."""
    groups: dict[str, Decimal] = {}
    for rate, vat in amounts:
        groups[rate] = groups.get(rate, Decimal("0.00")) + vat
    return [(vat_label(rate), vat) for rate, vat in groups.items()]


@dataclass(frozen=True)
class DocumentRow:
    """One row of a document's table: quantity × price = gross, gross − discount = total, to the kopeck."""

    position: int
    name: str
    sku: str
    unit: str
    okei: str
    quantity: int
    price: Decimal
    gross: Decimal
    discount: Decimal  # the promo discount and the points spread onto this row
    total: Decimal
    vat_rate: str
    vat_label: str
    vat: Decimal
    is_service: bool = False

    @property
    def net(self) -> Decimal:
        return self.total - self.vat


@dataclass(frozen=True)
class DocumentTotals:
    rows: list[DocumentRow]
    gross: Decimal
    discount: Decimal
    total: Decimal
    vat: Decimal
    vat_groups: list[tuple[str, Decimal]]
    words: str

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def all_without_vat(self) -> bool:
        return all(row.vat_label == NO_VAT_LABEL for row in self.rows)


def document_table(order: Order, lines: list) -> DocumentTotals:
    """The rows and totals every document prints, delivery included as a service row."""
    rows = [
        DocumentRow(
            position=n,
            name=line.name,
            sku=line.sku,
            unit="усл." if line.is_service else "шт.",
            okei="—" if line.is_service else "796",
            quantity=line.quantity,
            price=line.price,
            gross=line.price * line.quantity,
            discount=line.price * line.quantity - line.total,
            total=line.total,
            vat_rate=line.vat_rate,
            vat_label=vat_label(line.vat_rate),
            vat=line.vat,
            is_service=line.is_service,
        )
        for n, line in enumerate(lines, start=1)
    ]
    if order.delivery_cost:
        rows.append(
            DocumentRow(
                position=len(rows) + 1,
                name=f"Доставка: {order.delivery_name}",
                sku="",
                unit="усл.",
                okei="—",
                quantity=1,
                price=order.delivery_cost,
                gross=order.delivery_cost,
                discount=Decimal("0.00"),
                total=order.delivery_cost,
                vat_rate=order.delivery_vat_rate,
                vat_label=vat_label(order.delivery_vat_rate),
                vat=order.delivery_vat,
                is_service=True,
            )
        )
    total = sum((row.total for row in rows), Decimal("0.00"))
    return DocumentTotals(
        rows=rows,
        gross=sum((row.gross for row in rows), Decimal("0.00")),
        discount=sum((row.discount for row in rows), Decimal("0.00")),
        total=total,
        vat=sum((row.vat for row in rows), Decimal("0.00")),
        vat_groups=vat_groups((row.vat_rate, row.vat) for row in rows),
        words=amount_in_words(total),
    )


# ОКЕИ: goods by the piece, services (delivery, installation) by the conventional unit.
UPD_GOODS_UNIT = ("796", "шт")
UPD_SERVICE_UNIT = ("876", "усл. ед.")
UPD_NO_VAT = "без НДС"


@dataclass(frozen=True)
class UpdRow:
    """One row of a УПД's table, columns А–9: amounts without VAT are the row's sum less its VAT."""

    position: int
    sku: str
    name: str
    okei: str
    unit: str
    quantity: int
    price_net: Decimal  # column 4, informative: column 5 ÷ quantity, rounded
    net: Decimal
    rate: str
    vat: Decimal | None  # None: «без НДС»
    total: Decimal


@dataclass(frozen=True)
class UpdTable:
    rows: list[UpdRow]
    net: Decimal
    vat: Decimal | None
    total: Decimal
    status: int


def seller_pays_vat(rows: Iterable[DocumentRow]) -> bool:
    """Whether the seller charges VAT on this sale: any row at a rate other than «без НДС»."""
    return any(row.vat_rate != VatRate.NO_VAT for row in rows)


def upd_table(table: DocumentTotals) -> UpdTable:
    """A document's rows as a УПД prints them, with status 1 (счёт-фактура and act) for a VAT payer, else 2."""
    rows = []
    for row in table.rows:
        okei, unit = UPD_SERVICE_UNIT if row.is_service else UPD_GOODS_UNIT
        percent = vat_percent(row.vat_rate)
        rows.append(
            UpdRow(
                position=row.position,
                sku=row.sku,
                name=row.name,
                okei=okei,
                unit=unit,
                quantity=row.quantity,
                price_net=to_kopecks(row.net / row.quantity),
                net=row.net,
                rate=UPD_NO_VAT if percent is None else f"{percent}%",
                vat=None if percent is None else row.vat,
                total=row.total,
            )
        )
    taxed = [row.vat for row in rows if row.vat is not None]
    return UpdTable(
        rows=rows,
        net=sum((row.net for row in rows), Decimal("0.00")),
        vat=sum(taxed, Decimal("0.00")) if taxed else None,
        total=table.total,
        status=1 if seller_pays_vat(table.rows) else 2,
    )


def upd_context(*, order: Order, document: OrderDocument, table: DocumentTotals) -> dict:
    """What a УПД prints beyond the table: its date (the shipment's), and for a correction the original's."""
    original = document
    while original.corrects_id:
        original = original.corrects
    shipped = timezone.localtime(order.shipped_at or original.created_at or timezone.now()).date()
    correction = None
    if document.corrects_id:
        correction = {
            "number": document.number.rpartition("-И")[2],
            "date": timezone.localtime(document.created_at or timezone.now()).date(),
        }
    return {
        "upd": upd_table(table),
        "upd_number": original.number or order.number,
        "upd_date": shipped,
        "upd_correction": correction,
    }


def invoice_valid_until(order: Order) -> datetime.date:
    """The last day to pay an invoice: INVOICE_PAYMENT_DAYS working days from the order, as its reservation runs."""
    return add_working_days(timezone.localtime(order.created_at), settings.INVOICE_PAYMENT_DAYS).date()


def document_current(*, order: Order, kind: str) -> OrderDocument | None:
    """The document of a kind that stands for the order now: the latest correction, else the original."""
    documents = [d for d in order.documents.all() if d.kind == kind]
    return max(documents, key=lambda d: d.pk) if documents else None


def order_for_staff(*, number: str) -> Order:
    """Any order by its number, for staff; Http404 if there is none."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Order.objects.prefetch_related("documents"), number=str(number)[:20])


def seller_details() -> Seller | None:
    """The shop's legal details that every document prints."""
    return Seller.objects.first()


def pdf_render(*, template: str, context: dict) -> bytes:
    """A PDF of a document template (fonts and styles of orders/documents/_base.html) made by WeasyPrint."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_replace(file, *, name: str, pdf: bytes) -> None:
    """Put a PDF into a file field under a fixed name, replacing the one made before; the caller saves the row."""
    # The same name every time: the new PDF replaces the old one (and any left by a run that failed half-way)
    # instead of piling up beside it under a suffixed name.
    for stale in {file.name, file.field.generate_filename(file.instance, name)}:
        if stale:
            file.storage.delete(stale)
    file.save(name, ContentFile(pdf), save=False)


def seller_snapshot(seller: Seller | None) -> dict:
    """The seller's details as a document keeps them: every field of the record, as it is now."""
    if seller is None:
        return {}
    return {
        field.attname: getattr(seller, field.attname) for field in Seller._meta.fields if field.attname in SELLER_KEPT
    }


def buyer_snapshot(order: Order) -> dict:
    """The buyer's details as a document keeps them."""
    return {
        "name": order.buyer_name,
        "is_company": order.is_company,
        "full_name": order.full_name,
        "company_name": order.company_name,
        "inn": order.inn,
        "kpp": order.kpp,
        "address": order.legal_address,
        "contact": order.contact_name or order.full_name,
        "email": order.email,
        "phone": order.phone,
    }


def document_number(*, order: Order, corrects: OrderDocument | None = None) -> str:
    """The order's number for an original document; «2026-000123-И1», «…-И2» for its corrections."""
    if corrects is None:
        return order.number
    made = OrderDocument.objects.filter(order=order, kind=corrects.kind, corrects__isnull=False).count()
    return f"{order.number}-И{made + 1}"


def document_issue(*, order: Order, kind: str, seller: Seller | None) -> OrderDocument:
    """The original document of a kind, issued with its number and both parties the first time; kept after."""
    with transaction.atomic():
        document, _ = OrderDocument.objects.select_for_update().get_or_create(order=order, kind=kind, corrects=None)
        # Documents made before snapshots existed take theirs at their next making.
        if not document.seller or not document.number:
            document.number = document.number or document_number(order=order)
            document.seller = document.seller or seller_snapshot(seller)
            document.buyer = document.buyer or buyer_snapshot(order)
            document.save(update_fields=["number", "seller", "buyer", "updated_at"])
    return document


def document_render(*, order: Order, document: OrderDocument) -> bytes:
    """The PDF of one document of an order, from the parties it was issued with."""
    seller = document.seller or seller_snapshot(seller_details())
    lines = list(order.lines.all())
    sale_date = timezone.localtime(order.paid_at or order.created_at).date()
    context = {
        "order": order,
        "document": document,
        "seller": seller,
        "buyer": document.buyer or buyer_snapshot(order),
        "lines": lines,
        "goods": [line for line in lines if not line.is_service],
        "table": document_table(order, lines),
        "sale_date": sale_date,
        "valid_until": invoice_valid_until(order),
        "payment_days": settings.INVOICE_PAYMENT_DAYS,
        "fiscal": bool(getattr(settings, "FISCAL_PROVIDER", "")),
        "site_address": seller.get("site_address", ""),
        "now": timezone.localtime(),
    }
    if document.kind == DocumentKind.UPD:
        context |= upd_context(order=order, document=document, table=context["table"])
    return pdf_render(template=TEMPLATES[DocumentKind(document.kind)], context=context)


def document_store(*, document: OrderDocument, pdf: bytes) -> OrderDocument:
    """Store a document's PDF in private storage, overwriting the one made before under the same random name."""
    with transaction.atomic():
        document = OrderDocument.objects.select_for_update().get(pk=document.pk)
        document_file_replace(document, pdf=pdf)
        document.save()
    return document


def document_file_replace(document: OrderDocument, *, pdf: bytes) -> None:
    """Write the PDF under the document's name, or a new random one the first time; the caller saves the row."""
    storage = document.file.storage
    name = document.file.name
    if name:
        # Deleting first frees the name, so the new file takes it again instead of a suffixed copy.
        storage.delete(name)
        document.file.name = storage.save(name, ContentFile(pdf))
    else:
        document.file.save("document.pdf", ContentFile(pdf), save=False)
