"""Order documents: PDFs rendered from Django templates with WeasyPrint, overwritten when made again."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from num2words import num2words

from core.money import to_kopecks
from core.vat import vat_percent
from orders.models import DocumentKind, Order, OrderDocument, OrderStatus, PaymentMethod, Seller

TEMPLATES = {
    DocumentKind.INVOICE: "orders/documents/invoice.html",
    DocumentKind.RECEIPT: "orders/documents/receipt.html",
    DocumentKind.WARRANTY: "orders/documents/warranty.html",
}
PAID_STATUSES = frozenset({OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED})


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
    """The documents an order has by now: the invoice once placed by invoice, the receipt and warranty once paid."""
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
    return kinds


def vat_groups(amounts: Iterable[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """VAT summed by rate and labelled as documents print it: («НДС 22%», 2 235,89), («Без НДС», 0,00)."""
    groups: dict[str, Decimal] = {}
    for rate, vat in amounts:
        groups[rate] = groups.get(rate, Decimal("0.00")) + vat
    return [
        (f"НДС {vat_percent(rate)}%" if vat_percent(rate) is not None else "Без НДС", vat)
        for rate, vat in groups.items()
    ]


def _vat_groups(order: Order) -> list[tuple[str, Decimal]]:
    amounts = [(line.vat_rate, line.vat) for line in order.lines.all()]
    if order.delivery_cost:
        amounts.append((order.delivery_vat_rate, order.delivery_vat))
    return vat_groups(amounts)


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


def document_render(*, order: Order, kind: str, seller: Seller | None = None) -> bytes:
    """The PDF of one document of an order."""
    seller = seller or seller_details()
    lines = list(order.lines.all())
    sale_date = timezone.localtime(order.paid_at or order.created_at).date()
    context = {
        "order": order,
        "seller": seller,
        "lines": lines,
        "goods": [line for line in lines if not line.is_service],
        "vat_groups": _vat_groups(order),
        "total_words": amount_in_words(order.total),
        "sale_date": sale_date,
        "valid_until": sale_date + datetime.timedelta(days=(seller.invoice_valid_days if seller else 3) + 2),
        "fiscal": bool(getattr(settings, "FISCAL_PROVIDER", "")),
        "site_address": seller.site_address if seller else "",
        "now": timezone.localtime(),
    }
    return pdf_render(template=TEMPLATES[DocumentKind(kind)], context=context)


def document_save(*, order: Order, kind: str, pdf: bytes) -> OrderDocument:
    """Store a document's PDF, overwriting the one made before."""
    name = f"{kind}-{order.number}.pdf"
    with transaction.atomic():
        document, _ = OrderDocument.objects.select_for_update().get_or_create(order=order, kind=kind)
        pdf_replace(document.file, name=name, pdf=pdf)
        document.save()
    return document
