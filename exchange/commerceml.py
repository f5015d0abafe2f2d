"""Read CommerceML 2.x files as a stream of records, whatever their namespace and declared encoding.

The file is fed to expat in chunks (defusedxml: no DTD, no entity of any kind, nothing external), and each
record (a group tree, a property, a price type, a warehouse, a good, an offer, an order document) is handed
over as soon as its closing tag is read and then dropped, so a 200 MB import.xml never sits whole in memory.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

CHUNK = 256 * 1024
LINE = "_line"

# (parent, tag) of each record; a record is handed over when its end tag is read.
RECORDS = {
    ("Классификатор", "Группы"): "groups",
    ("Свойства", "Свойство"): "property",
    ("СвойстваНоменклатуры", "Свойство"): "property",
    ("ТипыЦен", "ТипЦены"): "price_type",
    ("Склады", "Склад"): "warehouse",
    ("Товары", "Товар"): "good",
    ("Предложения", "Предложение"): "offer",
    ("КоммерческаяИнформация", "Документ"): "document",
    ("Контейнер", "Документ"): "document",
}
# Records of their own whose start tag carries what the whole file is: a full unload or only changes.
HEADERS = {"Каталог": "catalog", "ПакетПредложений": "offers"}
TRUE = {"true", "истина", "да", "1"}


class XmlBroken(Exception):
    """The file is not well-formed XML, or it declares what the shop never reads (a DTD, entities)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Record:
    kind: str
    element: Element
    line: int


def _local(name: str) -> str:
    return name.rpartition("}")[2]


class _Builder(TreeBuilder):
    """A tree builder that hands over records as they end and forgets them."""

    def __init__(self):
        super().__init__()
        self.expat = None
        self.stack: list[Element] = []
        self.ready: list[Record] = []

    def start(self, tag, attrs):
        tag = _local(tag)
        attrs = {_local(k): v for k, v in attrs.items()}
        element = super().start(tag, attrs)
        line = self.expat.CurrentLineNumber if self.expat is not None else 0
        if tag in HEADERS:
            self.ready.append(Record(HEADERS[tag], Element(tag, attrs), line))
        parent = self.stack[-1].tag if self.stack else ""
        if (parent, tag) in RECORDS:
            element.set(LINE, str(line))
        self.stack.append(element)
        return element

    def end(self, tag):
        element = super().end(_local(tag))
        self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        kind = RECORDS.get((parent.tag if parent is not None else "", element.tag))
        if element.tag == "СодержитТолькоИзменения" and parent is not None and parent.tag in HEADERS:
            # Some unloads say it as an element instead of the attribute.
            header = Element(parent.tag, {element.tag: (element.text or "").strip()})
            self.ready.append(Record(HEADERS[parent.tag], header, self.expat.CurrentLineNumber if self.expat else 0))
        if kind and parent is not None:
            self.ready.append(Record(kind, element, int(element.get(LINE, "0"))))
            parent.remove(element)
        return element

    def drain(self) -> list[Record]:
        ready, self.ready = self.ready, []
        return ready


def records(path: Path) -> Iterator[Record]:
    """Yield the records of a CommerceML file in document order; XmlBroken with the line if it is not XML."""
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                parser.feed(chunk)
                yield from builder.drain()
            parser.close()
    except ParseError as error:
        raise XmlBroken(f"XML не читается: {error}", line=error.position[0]) from error
    except DefusedXmlException as error:
        line = parser.parser.CurrentLineNumber
        raise XmlBroken(f"XML с DTD или сущностями не принимается ({type(error).__name__})", line=line) from error
    except (LookupError, UnicodeError, ValueError) as error:
        raise XmlBroken(f"XML не читается: {error}", line=parser.parser.CurrentLineNumber) from error
    yield from builder.drain()


# --- Reading the elements of a record ----------------------------------------------------------


def text(element: Element | None, *path: str) -> str:
    """The stripped text of the first descendant along the path, or ""."""
    for name in path:
        if element is None:
            return ""
        element = element.find(name)
    return (element.text or "").strip() if element is not None else ""


def children(element: Element | None, *path: str) -> list[Element]:
    """Every element at the end of the path."""
    if element is None:
        return []
    return element.findall("/".join(path))


def flag(value: str) -> bool:
    return value.strip().lower() in TRUE


_SPACES = re.compile(r"[\s\u00a0\u202f]")


def number(value: str) -> Decimal | None:
    """«12 990,50» or «12990.50» as a Decimal; None when it is not a number."""
    cleaned = _SPACES.sub("", value or "").replace(",", ".")
    if not cleaned:
        return None
    try:
        result = Decimal(cleaned)
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def requisites(element: Element) -> dict[str, str]:
    """ЗначенияРеквизитов as a dict of name → value."""
    return {
        text(item, "Наименование"): text(item, "Значение")
        for item in children(element, "ЗначенияРеквизитов", "ЗначениеРеквизита")
    }


@dataclass
class Group:
    id: str
    name: str
    parent_id: str | None
    line: int


def groups(record: Record) -> list[Group]:
    """The group tree of a classifier, parents before children."""
    found: list[Group] = []

    def walk(container: Element, parent_id: str | None) -> None:
        for element in children(container, "Группа"):
            group = Group(text(element, "Ид"), text(element, "Наименование"), parent_id, record.line)
            if group.id:
                found.append(group)
                walk(element.find("Группы") if element.find("Группы") is not None else Element("x"), group.id)

    walk(record.element, None)
    return found


@dataclass
class Property:
    id: str
    name: str
    kind: str  # Строка, Число, Справочник
    values: dict[str, str]
    line: int


def property_of(record: Record) -> Property:
    element = record.element
    values = {
        text(item, "ИдЗначения"): text(item, "Значение")
        for item in children(element, "ВариантыЗначений", "Справочник")
        if text(item, "ИдЗначения")
    }
    return Property(
        text(element, "Ид"), text(element, "Наименование"), text(element, "ТипЗначений"), values, record.line
    )


@dataclass
class Reference:
    id: str
    name: str
    line: int
    currency: str = ""


def reference_of(record: Record) -> Reference:
    element = record.element
    return Reference(text(element, "Ид"), text(element, "Наименование"), record.line, text(element, "Валюта"))


@dataclass
class Good:
    id: str
    name: str
    line: int
    sku: str = ""
    description: str = ""
    barcode: str = ""
    unit: str = ""
    group_id: str = ""
    brand: str = ""
    vat: str = ""
    is_service: bool = False
    deleted: bool = False
    pictures: list[str] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)


def good_of(record: Record) -> Good:
    element = record.element
    details = requisites(element)
    kind = text(element, "ТипНоменклатуры") or details.get("ТипНоменклатуры") or details.get("ВидНоменклатуры", "")
    unit = element.find("БазоваяЕдиница")
    return Good(
        id=text(element, "Ид"),
        name=text(element, "Наименование") or details.get("Полное наименование", ""),
        line=record.line,
        sku=text(element, "Артикул"),
        description=text(element, "Описание"),
        barcode=text(element, "Штрихкод"),
        unit=(unit.get("НаименованиеКраткое") or (unit.text or "").strip()) if unit is not None else "",
        group_id=text(element, "Группы", "Ид"),
        brand=text(element, "Изготовитель", "Наименование") or text(element, "Изготовитель"),
        vat=text(element, "СтавкиНалогов", "СтавкаНалога", "Ставка"),
        is_service=kind.strip().lower() == "услуга",
        deleted=flag(text(element, "ПометкаУдаления")) or element.get("Статус", "") == "Удален",
        pictures=[(p.text or "").strip() for p in children(element, "Картинка") if (p.text or "").strip()],
        properties=[
            (text(item, "Ид"), text(item, "Значение"))
            for item in children(element, "ЗначенияСвойств", "ЗначенияСвойства")
            if text(item, "Ид")
        ],
    )


@dataclass
class Offer:
    id: str
    name: str
    line: int
    sku: str = ""
    prices: dict[str, Decimal] | None = None  # price type Ид → price per unit
    stocks: dict[str, Decimal] | None = None  # warehouse Ид → units
    quantity: Decimal | None = None
    characteristics: list[tuple[str, str]] = field(default_factory=list)


def offer_of(record: Record) -> Offer:
    element = record.element
    offer = Offer(text(element, "Ид"), text(element, "Наименование"), record.line, sku=text(element, "Артикул"))
    if element.find("Цены") is not None:
        offer.prices = {}
        for price in children(element, "Цены", "Цена"):
            value = number(text(price, "ЦенаЗаЕдиницу"))
            if value is not None and text(price, "ИдТипаЦены"):
                offer.prices[text(price, "ИдТипаЦены")] = value
    stocks: dict[str, Decimal] = {}
    for store in children(element, "Склад"):  # 2.04–2.07: <Склад ИдСклада="…" КоличествоНаСкладе="…"/>
        value = number(store.get("КоличествоНаСкладе", ""))
        if store.get("ИдСклада") and value is not None:
            stocks[store.get("ИдСклада")] = value
    for rest in children(element, "Остатки", "Остаток"):  # 2.08+: <Остатки><Остаток><Склад><Ид/><Количество/>
        for store in children(rest, "Склад"):
            value = number(text(store, "Количество"))
            if text(store, "Ид") and value is not None:
                stocks[text(store, "Ид")] = value
    if stocks:
        offer.stocks = stocks
    offer.quantity = number(text(element, "Количество"))
    if offer.quantity is None and children(element, "Остатки", "Остаток", "Количество"):
        offer.quantity = number(text(element, "Остатки", "Остаток", "Количество"))
    offer.characteristics = [
        (text(item, "Наименование"), text(item, "Значение"))
        for item in children(element, "ХарактеристикиТовара", "ХарактеристикаТовара")
    ]
    return offer


@dataclass
class Document:
    id: str
    number: str
    line: int
    operation: str = ""
    requisites: dict[str, str] = field(default_factory=dict)


def document_of(record: Record) -> Document:
    element = record.element
    return Document(
        id=text(element, "Ид"),
        number=text(element, "Номер"),
        line=record.line,
        operation=text(element, "ХозОперация"),
        requisites=requisites(element),
    )
