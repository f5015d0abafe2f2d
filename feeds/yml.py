"""The YML format (Яндекс Маркет and the marketplaces that read it): pure rules and an incremental writer.

Nothing here reads the database: the writer takes plain rows, so every rule is testable on its own.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

CURRENCY = "RUR"
DESCRIPTION_LIMIT = 3000
PICTURE_LIMIT = 10
BARCODE_LENGTHS = (8, 12, 13)

# XML 1.0 forbids C0 controls but tab, newline and carriage return; C1 controls and DEL are legal but no
# marketplace shows them, and unpaired surrogates and the two non-characters are not XML at all.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def is_forbidden_char(char: str) -> bool:
    """Whether a character must never reach the feed."""
    return _FORBIDDEN.match(char) is not None


def clean_text(value: str) -> str:
    """Drop the characters that XML refuses or a marketplace cannot show; keep line breaks."""
    return _FORBIDDEN.sub("", value).strip()


def clean_line(value: str) -> str:
    """Drop the characters `clean_text` drops and fold runs of whitespace, line breaks included, into one space."""
    return " ".join(_FORBIDDEN.sub("", value).split())


def cut_description(value: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Clean a description and cut it to the limit at a word boundary, with an ellipsis when cut."""
    text = clean_text(value)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip() + "…"


def cdata(value: str) -> str:
    """Wrap text in CDATA; a `]]>` inside is split across two sections, so the text survives whole."""
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def gtin_valid(code: str) -> bool:
    """Whether a code is an EAN-8, UPC-A or EAN-13 with a correct check digit."""
    if len(code) not in BARCODE_LENGTHS or not code.isascii() or not code.isdigit():
        return False
    digits = [int(d) for d in code]
    body = digits[:-1][::-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return (10 - total % 10) % 10 == digits[-1]


def format_price(value: Decimal) -> str:
    """A price as YML writes it: whole roubles without decimals, otherwise two decimals."""
    value = value.quantize(Decimal("0.01"))
    return str(value.to_integral_value()) if value == value.to_integral_value() else str(value)


def format_date(moment: datetime.datetime) -> str:
    """The catalogue's date attribute: ISO 8601 to the minute with the offset."""
    return moment.isoformat(timespec="minutes")


@dataclass(frozen=True)
class Shop:
    name: str
    company: str
    url: str


@dataclass(frozen=True)
class FeedCategory:
    id: int
    name: str
    parent_id: int | None


@dataclass
class Offer:
    id: int
    available: bool
    url: str
    price: Decimal
    category_id: int
    name: str
    old_price: Decimal | None = None
    pictures: list[str] = field(default_factory=list)
    vendor: str = ""
    vendor_code: str = ""
    description: str = ""
    warranty: bool = False
    barcodes: list[str] = field(default_factory=list)
    params: list[tuple[str, str, str]] = field(default_factory=list)  # (name, unit, value)
    delivery: bool = True
    pickup: bool = True
    store: bool = False


def _attr(value: object) -> str:
    return quoteattr(clean_line(str(value)))


def _text(value: str) -> str:
    return escape(clean_line(value))


def _flag(value: bool) -> str:
    return "true" if value else "false"


def offer_xml(offer: Offer) -> str:
    """One `offer` element, its children in the order of the YML schema."""
    parts = [f"<offer id={_attr(offer.id)} available={_attr(_flag(offer.available))}>"]
    parts.append(f"<url>{_text(offer.url)}</url>")
    parts.append(f"<price>{format_price(offer.price)}</price>")
    if offer.old_price is not None and offer.old_price > offer.price:
        parts.append(f"<oldprice>{format_price(offer.old_price)}</oldprice>")
    parts.append(f"<currencyId>{CURRENCY}</currencyId>")
    parts.append(f"<categoryId>{offer.category_id}</categoryId>")
    parts.extend(f"<picture>{_text(url)}</picture>" for url in offer.pictures[:PICTURE_LIMIT])
    parts.append(f"<store>{_flag(offer.store)}</store>")
    parts.append(f"<pickup>{_flag(offer.pickup)}</pickup>")
    parts.append(f"<delivery>{_flag(offer.delivery)}</delivery>")
    parts.append(f"<name>{_text(offer.name)}</name>")
    if vendor := clean_line(offer.vendor):
        parts.append(f"<vendor>{escape(vendor)}</vendor>")
    if vendor_code := clean_line(offer.vendor_code):
        parts.append(f"<vendorCode>{escape(vendor_code)}</vendorCode>")
    if description := cut_description(offer.description):
        parts.append(f"<description>{cdata(description)}</description>")
    parts.append(f"<manufacturer_warranty>{_flag(offer.warranty)}</manufacturer_warranty>")
    seen: set[str] = set()
    for code in offer.barcodes:
        code = clean_line(code)
        if gtin_valid(code) and code not in seen:
            seen.add(code)
            parts.append(f"<barcode>{code}</barcode>")
    for name, unit, value in offer.params:
        name, value = clean_line(name), clean_line(value)
        if not name or not value:
            continue
        unit = clean_line(unit)
        unit_attr = f" unit={quoteattr(unit)}" if unit else ""
        parts.append(f"<param name={quoteattr(name)}{unit_attr}>{escape(value)}</param>")
    parts.append("</offer>\n")
    return "".join(parts)


def write_yml(
    out: TextIO,
    *,
    date: datetime.datetime,
    shop: Shop,
    categories: Iterable[FeedCategory],
    offers: Iterable[Offer],
) -> int:
    """Write a whole `yml_catalog` to a text stream, one offer at a time; return how many offers it holds.

    Categories must come parents first; an offer whose category was not declared, or whose id was written
    already, is skipped, so the file never refers to a category it lacks and never repeats an id.
    """
    write = out.write
    write('<?xml version="1.0" encoding="UTF-8"?>\n')
    write(f"<yml_catalog date={_attr(format_date(date))}>\n<shop>\n")
    write(f"<name>{_text(shop.name)}</name>\n<company>{_text(shop.company)}</company>\n<url>{_text(shop.url)}</url>\n")
    write(f'<currencies><currency id="{CURRENCY}" rate="1"/></currencies>\n<categories>\n')
    declared: set[int] = set()
    for category in categories:
        if category.id in declared or (category.parent_id is not None and category.parent_id not in declared):
            continue
        declared.add(category.id)
        parent = f" parentId={_attr(category.parent_id)}" if category.parent_id is not None else ""
        write(f"<category id={_attr(category.id)}{parent}>{_text(category.name)}</category>\n")
    write("</categories>\n<offers>\n")
    written: set[int] = set()
    for offer in offers:
        if offer.category_id not in declared or offer.id in written or not clean_line(offer.name):
            continue
        written.add(offer.id)
        write(offer_xml(offer))
    write("</offers>\n</shop>\n</yml_catalog>\n")
    return len(written)
