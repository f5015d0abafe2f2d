"""Orders to 1C (type=sale&mode=query, committed by mode=success) and back from 1C (mode=file + mode=import).

What 1C reports moves an order only through the shop's own services: a payment date on an invoice order is
«Счёт оплачен» (payments), a shipment is «Передан в доставку» (order_ship), a cancellation is order_cancel.
"""

import logging
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

from django.db import transaction
from django.utils import timezone

from core.vat import vat_percent
from exchange import commerceml
from exchange.commerceml import Document, XmlBroken
from exchange.exceptions import ExchangeRefused
from exchange.models import ExchangeEntry, ExchangeSession
from exchange.selectors import last_export_until, orders_for_export
from exchange.services.files import NO_FILE, file_path
from orders.exceptions import OrderError
from orders.models import CANCELLABLE, Order, OrderStatus, PaymentMethod
from orders.services import order_cancel, order_ship
from payments.services import invoice_payment_record

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "2.05"
DELIVERY_ID = "ORDER_DELIVERY"
CANCELLED_IN_1C = "Отменён в 1С"
SHIPPED_IN_1C = "Отгружен по данным 1С"


def _add(parent: Element, tag: str, value="") -> Element:
    element = SubElement(parent, tag)
    if value != "" and value is not None:
        element.text = str(value)
    return element


def _money(value) -> str:
    return f"{Decimal(value):.2f}"


def _requisites(parent: Element, values: dict[str, str]) -> None:
    container = _add(parent, "ЗначенияРеквизитов")
    for name, value in values.items():
        item = _add(container, "ЗначениеРеквизита")
        _add(item, "Наименование", name)
        _add(item, "Значение", value)


def _taxes(parent: Element, rate: str) -> None:
    percent = vat_percent(rate)
    taxes = _add(parent, "СтавкиНалогов")
    tax = _add(taxes, "СтавкаНалога")
    _add(tax, "Наименование", "НДС")
    _add(tax, "Ставка", "Без налога" if percent is None else str(percent))


def _counterparty(document: Element, order: Order) -> None:
    parties = _add(document, "Контрагенты")
    party = _add(parties, "Контрагент")
    _add(party, "Ид", f"{order.user_id or 'guest'}#{order.inn or order.email or order.phone}"[:80])
    _add(party, "Роль", "Покупатель")
    if order.is_company:
        _add(party, "Наименование", order.company_name)
        _add(party, "ОфициальноеНаименование", order.company_name)
        _add(party, "ИНН", order.inn)
        if order.kpp:
            _add(party, "КПП", order.kpp)
        address = _add(party, "ЮридическийАдрес")
        _add(address, "Представление", order.legal_address)
    else:
        _add(party, "Наименование", order.full_name)
        _add(party, "ПолноеНаименование", order.full_name)
    contacts = _add(party, "Контакты")
    for kind, value in (("Почта", order.email), ("Телефон рабочий", order.phone)):
        if value:
            contact = _add(contacts, "Контакт")
            _add(contact, "Тип", kind)
            _add(contact, "Значение", value)
    delivery_address = order.courier_address or order.pickup_address
    if delivery_address:
        address = _add(party, "АдресРегистрации")
        _add(address, "Представление", delivery_address)


def _line(goods: Element, *, ident: str, name: str, sku: str, price, quantity, total, discount, rate, service) -> None:
    item = _add(goods, "Товар")
    _add(item, "Ид", ident)
    if sku:
        _add(item, "Артикул", sku)
    _add(item, "Наименование", name)
    unit = _add(item, "БазоваяЕдиница", "шт")
    unit.set("Код", "796")
    unit.set("НаименованиеПолное", "Штука")
    unit.set("МеждународноеСокращение", "PCE")
    _add(item, "ЦенаЗаЕдиницу", _money(price))
    _add(item, "Количество", quantity)
    _add(item, "Сумма", _money(total))
    if discount:
        discounts = _add(item, "Скидки")
        entry = _add(discounts, "Скидка")
        _add(entry, "Наименование", "Скидка")
        _add(entry, "Сумма", _money(discount))
        _add(entry, "УчтеноВСумме", "true")
    _taxes(item, rate)
    kind = "Услуга" if service else "Товар"
    _requisites(item, {"ВидНоменклатуры": kind, "ТипНоменклатуры": kind})


def _document(root: Element, order: Order) -> None:
    document = _add(root, "Документ")
    _add(document, "Ид", order.pk)
    _add(document, "Номер", order.number)
    created = timezone.localtime(order.created_at)
    _add(document, "Дата", created.strftime("%Y-%m-%d"))
    _add(document, "Время", created.strftime("%H:%M:%S"))
    _add(document, "ХозОперация", "Заказ товара")
    _add(document, "Роль", "Продавец")
    _add(document, "Валюта", "руб")
    _add(document, "Курс", "1")
    _add(document, "Сумма", _money(order.total))
    _counterparty(document, order)
    goods = _add(document, "Товары")
    for line in order.lines.all():
        external = line.product.external_id if line.product_id and line.product else None
        _line(
            goods,
            ident=external or f"shop-{line.product_id or line.sku}",
            name=line.name,
            sku=line.sku,
            price=line.price,
            quantity=line.quantity,
            total=line.total,
            discount=(line.discount or 0) + (line.points or 0),
            rate=line.vat_rate,
            service=line.is_service,
        )
    if order.delivery_cost:
        _line(
            goods,
            ident=DELIVERY_ID,
            name=f"Доставка: {order.delivery_name}",
            sku="",
            price=order.delivery_cost,
            quantity=1,
            total=order.delivery_cost,
            discount=0,
            rate=order.delivery_vat_rate,
            service=True,
        )
    paid = order.paid_at is not None
    _requisites(
        document,
        {
            "Метод оплаты": order.get_payment_method_display(),
            "Заказ оплачен": "true" if paid else "false",
            "Дата оплаты": timezone.localtime(order.paid_at).strftime("%Y-%m-%d %H:%M:%S") if paid else "",
            "Способ доставки": order.delivery_name,
            "Отменен": "true" if order.status == OrderStatus.CANCELLED else "false",
            "Финальный статус": "true" if order.status in (OrderStatus.COMPLETED, OrderStatus.CANCELLED) else "false",
            "Статус заказа": order.get_status_display(),
            "Дата изменения статуса": timezone.localtime(order.updated_at).strftime("%Y-%m-%d %H:%M:%S"),
            "Сайт": "[s1] Охрана Плюс",
        },
    )


def orders_export(*, session: ExchangeSession) -> bytes:
    """The orders placed or changed since the last committed export, as CommerceML in windows-1251.

    The moment of the export is kept on the session; until mode=success commits it, the next query sends
    the same orders again."""
    until = session.export_until or timezone.now()
    if session.export_until is None:
        ExchangeSession.objects.filter(pk=session.pk).update(export_until=until)
        session.export_until = until
    root = Element("КоммерческаяИнформация")
    root.set("ВерсияСхемы", SCHEMA_VERSION)
    root.set("ДатаФормирования", timezone.localtime(until).strftime("%Y-%m-%dT%H:%M:%S"))
    for order in orders_for_export(since=last_export_until(), until=until):
        _document(root, order)
    return tostring(root, encoding="windows-1251", xml_declaration=True)


def orders_export_commit(*, session: ExchangeSession) -> None:
    """mode=success: 1C has the orders up to the session's export moment."""
    ExchangeSession.objects.filter(pk=session.pk, export_until__isnull=False).update(export_committed_at=timezone.now())


def _date_given(value: str) -> bool:
    """Whether 1C sent a date: it writes «T» (or the year 1) for none."""
    value = value.strip()
    return bool(value) and value not in ("T", "Т") and not value.startswith("0001-01-01")


def _order_apply(doc: Document, session: ExchangeSession, author) -> str:
    """Move one order as 1C reports it; the note of what happened."""
    order = Order.objects.filter(number=doc.number).first()
    if order is None and doc.id.isdigit():
        order = Order.objects.filter(pk=int(doc.id)).first()
    if order is None:
        raise ExchangeRefused(f"Заказ {doc.number or doc.id} не найден", line=doc.line)
    values = {k.strip().lower(): v.strip() for k, v in doc.requisites.items()}
    cancelled = commerceml.flag(values.get("отменен", "")) or commerceml.flag(values.get("пометкаудаления", ""))
    paid_on = _date_given(values.get("дата оплаты по 1с", ""))
    shipped = _date_given(values.get("дата отгрузки по 1с", ""))
    notes = []
    if cancelled:
        if order.status in CANCELLABLE:
            order_cancel(order_id=order.pk, author=author, note=CANCELLED_IN_1C)
            notes.append("отменён")
        elif order.status != OrderStatus.CANCELLED:
            raise ExchangeRefused(f"Заказ {order.number} уже {order.get_status_display().lower()}", line=doc.line)
        return ", ".join(notes)
    if paid_on and order.status == OrderStatus.AWAITING_PAYMENT:
        if order.payment_method != PaymentMethod.INVOICE:
            raise ExchangeRefused(f"Заказ {order.number}: оплата из 1С принимается только по счёту", line=doc.line)
        invoice_payment_record(order_id=order.pk, author=author)
        order.refresh_from_db()
        notes.append("счёт оплачен")
    if shipped and order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED):
        order_ship(order_id=order.pk, author=author, note=SHIPPED_IN_1C)
        notes.append("передан в доставку")
    if commerceml.flag(values.get("проведен", "")) and not notes:
        notes.append("проведён в 1С")
    return ", ".join(notes)


def orders_import(*, session: ExchangeSession, name: str, author=None) -> int:
    """Apply the order documents of a file 1C sent; each order in its own transaction, errors logged by line."""
    path = file_path(session, name)
    if not path.is_file():
        raise ExchangeRefused(NO_FILE)
    moved = 0
    try:
        for record in commerceml.records(path):
            if record.kind != "document":
                continue
            doc = commerceml.document_of(record)
            try:
                with transaction.atomic():
                    note = _order_apply(doc, session, author)
            except (ExchangeRefused, OrderError) as error:
                message = getattr(error, "message", None) or str(error)
                ExchangeEntry.objects.create(
                    session=session, mode="import", filename=name, line=doc.line, message=message, is_error=True
                )
                continue
            if note:
                moved += 1
                ExchangeEntry.objects.create(
                    session=session, mode="import", filename=name, line=doc.line, message=f"{doc.number}: {note}"
                )
    except XmlBroken as broken:
        raise ExchangeRefused(broken.message, line=broken.line) from broken
    return moved
