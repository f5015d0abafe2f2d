"""A validator of YML files, written from the rules marketplaces publish, streamed so a feed of any size fits.

It checks what a marketplace's robot checks before it reads an offer: the catalogue's date, the shop, the
currency, categories declared before use, and every field of every offer.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from feeds.yml import CURRENCY, DESCRIPTION_LIMIT, PICTURE_LIMIT, gtin_valid, is_forbidden_char

MAX_ERRORS = 50
_OFFER_ID = re.compile(r"^[0-9A-Za-z]{1,20}$")
_CATEGORY_ID = re.compile(r"^[0-9]{1,18}$")
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")
_FLAGS = {"true", "false"}
_OFFER_FLAGS = ("store", "pickup", "delivery", "manufacturer_warranty")


@dataclass
class YmlReport:
    offers: int = 0
    categories: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def error(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)


def _price(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def _forbidden_chars(path: Path, report: YmlReport) -> None:
    with open(path, encoding="utf-8", errors="strict") as text:
        for number, line in enumerate(text, start=1):
            if any(is_forbidden_char(char) for char in line):
                report.error(f"line {number}: a control character")


def _check_date(root: ET.Element, report: YmlReport) -> None:
    date = root.get("date", "")
    try:
        datetime.datetime.fromisoformat(date)
    except ValueError:
        report.error(f"yml_catalog: date {date!r} is not a date")


def _check_shop(shop: ET.Element, report: YmlReport) -> None:
    for name in ("name", "company", "url"):
        if not (shop.findtext(name) or "").strip():
            report.error(f"shop: no {name}")
    if not _URL.match(shop.findtext("url") or ""):
        report.error("shop: url is not absolute")


def _check_currencies(currencies: ET.Element, report: YmlReport) -> set[str]:
    declared = {c.get("id", "") for c in currencies.findall("currency")}
    if CURRENCY not in declared:
        report.error(f"currencies: no {CURRENCY}")
    return declared


def _check_category(category: ET.Element, declared: set[str], report: YmlReport) -> None:
    category_id = category.get("id", "")
    if not _CATEGORY_ID.match(category_id):
        report.error(f"category {category_id!r}: the id is not a number")
    if category_id in declared:
        report.error(f"category {category_id}: the id repeats")
    parent = category.get("parentId")
    if parent is not None and parent not in declared:
        report.error(f"category {category_id}: parentId {parent} is not declared above")
    if not (category.text or "").strip():
        report.error(f"category {category_id}: no name")
    declared.add(category_id)


def _check_offer(offer: ET.Element, seen: set[str], categories: set[str], currencies: set[str], report: YmlReport):
    offer_id = offer.get("id", "")
    where = f"offer {offer_id!r}"
    if not _OFFER_ID.match(offer_id):
        report.error(f"{where}: the id is not 1–20 letters and digits")
    if offer_id in seen:
        report.error(f"{where}: the id repeats")
    seen.add(offer_id)
    if offer.get("available") not in _FLAGS:
        report.error(f"{where}: available is not true or false")
    if not _URL.match(offer.findtext("url") or ""):
        report.error(f"{where}: url is not absolute")
    price = _price(offer.findtext("price"))
    if price is None:
        report.error(f"{where}: no positive price")
    old_price = offer.findtext("oldprice")
    if old_price is not None and (price is None or (_price(old_price) or 0) <= price):
        report.error(f"{where}: oldprice is not above the price")
    if offer.findtext("currencyId") not in currencies:
        report.error(f"{where}: currencyId is not declared")
    category_ids = [c.text for c in offer.findall("categoryId")]
    if not category_ids or any(c not in categories for c in category_ids):
        report.error(f"{where}: categoryId is not declared above")
    pictures = [p.text or "" for p in offer.findall("picture")]
    if len(pictures) > PICTURE_LIMIT:
        report.error(f"{where}: more than {PICTURE_LIMIT} pictures")
    if any(not _URL.match(p) for p in pictures):
        report.error(f"{where}: a picture url is not absolute")
    name = (offer.findtext("name") or "").strip()
    vendor_model = (offer.findtext("vendor") or "").strip() and (offer.findtext("model") or "").strip()
    if not name and not vendor_model:
        report.error(f"{where}: neither name nor vendor and model")
    if len(offer.findtext("description") or "") > DESCRIPTION_LIMIT:
        report.error(f"{where}: description longer than {DESCRIPTION_LIMIT} characters")
    for flag in _OFFER_FLAGS:
        value = offer.findtext(flag)
        if value is not None and value not in _FLAGS:
            report.error(f"{where}: {flag} is not true or false")
    for barcode in offer.findall("barcode"):
        if not gtin_valid(barcode.text or ""):
            report.error(f"{where}: barcode {barcode.text!r} is not a valid EAN-8, UPC-A or EAN-13")
    for param in offer.findall("param"):
        if not (param.get("name") or "").strip() or not (param.text or "").strip():
            report.error(f"{where}: a param without a name or a value")
        if param.get("unit") is not None and not param.get("unit").strip():
            report.error(f"{where}: a param with an empty unit")


def validate_yml(path: str | Path) -> YmlReport:
    """Check a YML file against the rules; the report counts offers and categories and lists what is wrong."""
    path = Path(path)
    report = YmlReport()
    try:
        _forbidden_chars(path, report)
    except UnicodeDecodeError as error:
        report.error(f"not UTF-8: {error}")
        return report
    categories: set[str] = set()
    currencies: set[str] = set()
    offers: set[str] = set()
    sections: list[str] = []
    root = None
    try:
        # The feed this shop wrote; ElementTree fetches no external entity and expat refuses entity bombs.
        for event, element in ET.iterparse(path, events=("start", "end")):  # noqa: S314
            if event == "start":
                if root is None:
                    root = element
                    if element.tag != "yml_catalog":
                        report.error(f"the root is {element.tag}, not yml_catalog")
                    _check_date(element, report)
                continue
            tag = element.tag
            if tag in {"shop", "currencies", "categories", "offers"}:
                sections.append(tag)
            if tag == "currencies":
                currencies = _check_currencies(element, report)
            elif tag == "category":
                _check_category(element, categories, report)
                report.categories += 1
            elif tag == "offer":
                _check_offer(element, offers, categories, currencies, report)
                report.offers += 1
                element.clear()
            elif tag == "shop":
                _check_shop(element, report)
    except ET.ParseError as error:
        report.error(f"not well-formed XML: {error}")
        return report
    for section in ("currencies", "categories", "offers", "shop"):
        if section not in sections:
            report.error(f"no {section}")
    if sections[:3] != ["currencies", "categories", "offers"]:
        report.error("currencies, categories and offers are not in this order")
    return report
