"""Import products from a CSV file: create or update by SKU, every row on its own.

Columns (the header row names them; their order does not matter, names are case-insensitive):

    sku              артикул; required; the key a row is matched by
    name             название
    category         slug of an existing category, e.g. ip-kamery
    brand            brand name; a new brand is created
    price            цена, ₽, above zero: 12990, 12 990,00 and 12990.00 are all read
    old_price        старая цена, ₽, above price; empty for none
    vat_rate         22, 10, 0 or none (без НДС); empty means 22
    warranty_months  гарантия, мес.; empty means 12
    weight_kg        вес, кг
    description      описание
    is_active        1/0, да/нет, true/false; empty means в продаже
    stock_<code>     units on hand in the warehouse with that code, e.g. stock_msk, stock_spb;
                     an empty cell leaves the stock as it is
    attr_<slug>      value of the attribute with that slug, e.g. attr_resolution; an empty cell removes it

A new product needs sku, name, category and price. A column absent from the file leaves that field
of an existing product unchanged, and so does an empty name, category or price cell.
The file is UTF-8 with or without BOM, comma- or semicolon-separated.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from catalog.models import Attribute, Brand, Category, Product, ProductAttributeValue, Stock, Warehouse
from catalog.services import product_refresh_search
from core.vat import VatRate

FIELD_COLUMNS = (
    "sku",
    "name",
    "category",
    "brand",
    "price",
    "old_price",
    "vat_rate",
    "warranty_months",
    "weight_kg",
    "description",
    "is_active",
)
STOCK_PREFIX = "stock_"
ATTR_PREFIX = "attr_"
REFRESH_CHUNK = 1000

NOT_UTF8 = "Файл не в кодировке UTF-8: сохраните его как «CSV UTF-8»."
EMPTY_FILE = "Файл пуст."
NO_SKU_COLUMN = "нет столбца sku"
NO_SKU = "не указан артикул (sku)"
PRICE_NOT_POSITIVE = "цена должна быть больше нуля"

# Close to the transliteration of Russian addresses: й → j, х → kh, ц → ts (see the top category slugs).
TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip


def slugify_ru(text: str) -> str:
    """«IP-камера Hikvision 4 Мп» → «ip-kamera-hikvision-4-mp»."""
    return slugify(text.lower().translate(TRANSLIT)) or "item"


class ImportFileError(Exception):
    """The file as a whole cannot be read: encoding, header."""


class _RowInvalid(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportRow:
    line: int  # where the record starts in the file, the header being line 1
    values: dict[str, str]
    extra_cells: int = 0


@dataclass(frozen=True)
class ImportFile:
    columns: list[str]
    rows: list[ImportRow]


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self):
        return f"строка {self.line}: {self.message}"


@dataclass
class ImportReport:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    product_ids: list[int] = field(default_factory=list)


# --- Reading the file -----------------------------------------------------------------------


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header_problems(columns: list[str]) -> list[str]:
    problems = []
    if "sku" not in columns:
        problems.append(NO_SKU_COLUMN)
    seen = set()
    for name in columns:
        if name in seen:
            problems.append(f"столбец «{name}» повторяется")
        seen.add(name)
    codes = set(Warehouse.objects.values_list("code", flat=True))
    slugs = set(Attribute.objects.values_list("slug", flat=True))
    for name in columns:
        if name.startswith(STOCK_PREFIX):
            if name.removeprefix(STOCK_PREFIX) not in codes:
                problems.append(f"склада «{name.removeprefix(STOCK_PREFIX)}» нет (столбец {name})")
        elif name.startswith(ATTR_PREFIX):
            if name.removeprefix(ATTR_PREFIX) not in slugs:
                problems.append(f"характеристики «{name.removeprefix(ATTR_PREFIX)}» нет (столбец {name})")
        elif name and name not in FIELD_COLUMNS:
            problems.append(f"неизвестный столбец «{name}»")
    return problems


def csv_read(*, data: bytes) -> ImportFile:
    """Decode and split a CSV file into rows; raise ImportFileError if its header is unusable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(NOT_UTF8) from exc
    if not text.strip():
        raise ImportFileError(EMPTY_FILE)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.lstrip().splitlines()[0]))
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
        columns = [cell.strip().lower() for cell in header]
        problems = _header_problems(columns)
        if problems:
            raise ImportFileError("Заголовок файла: " + "; ".join(problems) + ".")
        rows = []
        previous_end = reader.line_num
        for record in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            values = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(columns) if name}
            extra = sum(1 for cell in record[len(columns) :] if cell.strip())
            rows.append(ImportRow(line=line, values=values, extra_cells=extra))
    except csv.Error as exc:
        raise ImportFileError(f"Строка {reader.line_num}: файл не читается как CSV ({exc}).") from exc
    except StopIteration as exc:
        raise ImportFileError(EMPTY_FILE) from exc
    return ImportFile(columns=columns, rows=rows)


# --- Parsing cells --------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_TRUE = {"1", "да", "д", "true", "yes", "y", "+", "в продаже"}
_FALSE = {"0", "нет", "н", "false", "no", "n", "-", "снят с продажи"}
_VAT = {
    "22": VatRate.VAT_22,
    "10": VatRate.VAT_10,
    "0": VatRate.VAT_0,
    "none": VatRate.NO_VAT,
    "без ндс": VatRate.NO_VAT,
    "ндс не облагается": VatRate.NO_VAT,
}


def parse_decimal(text: str) -> Decimal:
    """Read «12 990,00», «12990.00» or «12 990 ₽»; raise ValueError if it is not a number."""
    cleaned = _SPACES.sub("", text).replace("₽", "").removesuffix("руб.").removesuffix("руб")
    if "," in cleaned and "." in cleaned:
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


class _Problems(list):
    """What is wrong with a row, remembering which model fields it concerns."""

    def __init__(self):
        super().__init__()
        self.fields: set[str] = set()

    def add(self, message: str, field_name: str = "") -> None:
        self.append(message)
        if field_name:
            self.fields.add(field_name)


def _number(text: str, label: str, field_name: str, problems: _Problems) -> Decimal | None:
    if not text:
        return None
    try:
        return parse_decimal(text)
    except ValueError:
        problems.add(f"{label}: «{text}» — не число", field_name)
        return None


def _whole(text: str, label: str, field_name: str, problems: _Problems) -> int | None:
    value = _number(text, label, field_name, problems)
    if value is not None and (value != value.to_integral_value() or value < 0):
        problems.add(f"{label}: нужно целое число не меньше нуля, а не «{text}»", field_name)
        return None
    return None if value is None else int(value)


def _decap(text: str) -> str:
    text = text.rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _label(field_name: str) -> str:
    return str(Product._meta.get_field(field_name).verbose_name).split(",")[0]


def validation_messages(error: ValidationError) -> list[str]:
    """A model's validation errors as short Russian phrases: «цена должна быть больше нуля»."""
    messages = []
    for name, texts in error.message_dict.items():
        for text in texts:
            text = _decap(str(text))
            if name == NON_FIELD_ERRORS:
                messages.append(text)
                continue
            label = _label(name)
            messages.append(text if text.lower().startswith(label.lower()) else f"{label}: {text}")
    return messages


# --- Importing ------------------------------------------------------------------------------


@dataclass
class _Context:
    categories: dict[str, Category]
    brands: dict[str, Brand]
    warehouses: dict[str, Warehouse]
    attributes: dict[str, Attribute]
    seen: dict[str, int] = field(default_factory=dict)  # sku → line it was imported from
    new_brands: dict[str, Brand] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "_Context":
        return cls(
            categories={c.slug.lower(): c for c in Category.objects.all()},
            brands={b.name.lower(): b for b in Brand.objects.all()},
            warehouses={w.code.lower(): w for w in Warehouse.objects.all()},
            attributes={a.slug.lower(): a for a in Attribute.objects.all()},
        )

    def brand(self, name: str) -> Brand:
        key = name.lower()
        brand = self.brands.get(key) or self.new_brands.get(key)
        if brand is None:
            slug = base = slugify_ru(name)[:90]
            suffix = 2
            while Brand.objects.filter(slug=slug).exists():
                slug, suffix = f"{base}-{suffix}", suffix + 1
            brand = Brand(name=name[:100], slug=slug)
            brand.full_clean()
            brand.save()
            self.new_brands[key] = brand
        return brand


def _unique_slug(name: str, sku: str) -> str:
    base = slugify_ru(name or sku)[:200].strip("-")
    if not Product.objects.filter(slug=base).exists():
        return base
    slug = f"{base}-{slugify_ru(sku)}"[:255]
    suffix = 2
    while Product.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{slugify_ru(sku)}-{suffix}"[:255], suffix + 1
    return slug


def _fields_apply(product: Product, values: dict[str, str], ctx: _Context, problems: _Problems) -> None:
    new = product.pk is None
    # Required fields cannot be cleared: an empty cell keeps an existing product's value.
    if values.get("name") or ("name" in values and new):
        product.name = values["name"]
    if values.get("category"):
        slug = values["category"]
        if slug.lower() in ctx.categories:
            product.category = ctx.categories[slug.lower()]
        else:
            problems.add(f"категория «{slug}» не найдена", "category")
    elif "category" in values and new:
        problems.add("не указана категория", "category")
    if values.get("price"):
        price = _number(values["price"], "цена", "price", problems)
        if price is not None and price <= 0:
            problems.add(PRICE_NOT_POSITIVE, "price")
        elif price is not None:
            product.price = price
    elif "price" in values and new:
        problems.add("не указана цена", "price")
    if "brand" in values:
        product.brand = ctx.brand(values["brand"]) if values["brand"] else None
    if "old_price" in values:
        product.old_price = _number(values["old_price"], "старая цена", "old_price", problems)
    if "vat_rate" in values:
        raw = values["vat_rate"].lower().removesuffix("%").strip()
        if raw in _VAT or not raw:
            product.vat_rate = _VAT.get(raw, VatRate.VAT_22)
        else:
            problems.add(f"ставка НДС «{values['vat_rate']}» не поддерживается: 22, 10, 0 или none", "vat_rate")
    if "warranty_months" in values:
        months = _whole(values["warranty_months"], "гарантия", "warranty_months", problems)
        product.warranty_months = 12 if months is None else months
    if "weight_kg" in values:
        product.weight_kg = _number(values["weight_kg"], "вес", "weight_kg", problems)
    if "description" in values:
        product.description = values["description"]
    if "is_active" in values:
        flag = values["is_active"].lower()
        if flag and flag not in _TRUE | _FALSE:
            problems.add(f"в продаже: «{values['is_active']}» — ожидается да или нет", "is_active")
        product.is_active = flag not in _FALSE


def _row_apply(row: ImportRow, ctx: _Context) -> tuple[Product, bool]:
    values = row.values
    sku = values.get("sku", "")
    if not sku:
        raise _RowInvalid([NO_SKU])
    if sku in ctx.seen:
        raise _RowInvalid([f"артикул {sku} уже был в строке {ctx.seen[sku]}"])
    problems = _Problems()
    if row.extra_cells:
        problems.add("значений больше, чем столбцов в заголовке")
    product = Product.objects.filter(sku=sku).first()
    created = product is None
    if created:
        product = Product(sku=sku)
    _fields_apply(product, values, ctx, problems)
    stocks, attributes = {}, {}
    for name, value in values.items():
        if name.startswith(STOCK_PREFIX):
            code = name.removeprefix(STOCK_PREFIX)
            if code not in ctx.warehouses:
                problems.add(f"склада «{code}» нет")
            elif value:
                stocks[ctx.warehouses[code]] = _whole(value, f"остаток {code}", "", problems)
        elif name.startswith(ATTR_PREFIX):
            slug = name.removeprefix(ATTR_PREFIX)
            if slug not in ctx.attributes:
                problems.add(f"характеристики «{slug}» нет")
            elif len(value) > 100:
                problems.add(f"{ctx.attributes[slug].name}: значение длиннее 100 символов")
            else:
                attributes[ctx.attributes[slug]] = value
    if created and "name" in values:
        product.slug = _unique_slug(product.name, sku)
    try:
        # SKU and slug are unique by construction (looked up, generated) and the check constraints repeat
        # what the field validators and Product.clean() say in words; the database backs both up.
        product.full_clean(exclude=[*problems.fields, "slug"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems.extend(validation_messages(exc))
    if problems:
        raise _RowInvalid(problems)
    product.save()
    for warehouse, quantity in stocks.items():
        stock = Stock.objects.filter(product=product, warehouse=warehouse).first() or Stock(
            product=product, warehouse=warehouse
        )
        if quantity is not None and quantity < stock.reserved:
            problems.add(f"остаток {warehouse.code}: {quantity} меньше резерва {stock.reserved}")
            continue
        stock.quantity = quantity
        stock.save()
    if problems:
        raise _RowInvalid(problems)
    for attribute, value in attributes.items():
        if value:
            ProductAttributeValue.objects.update_or_create(
                product=product, attribute=attribute, defaults={"value": value}
            )
        else:
            ProductAttributeValue.objects.filter(product=product, attribute=attribute).delete()
    return product, created


def products_import(*, rows: Iterable[ImportRow], dry_run: bool = False) -> ImportReport:
    """Create or update a product per row; a bad row is reported by line and changes nothing.

    Every write is a save, a delete or a catalogue queryset's write, so catalog.changes retires the pages of
    the products it touched (the whole catalogue, when it made a brand) once the import commits.
    """
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        ctx = _Context.load()
        for row in rows:
            ctx.new_brands = {}
            try:
                with transaction.atomic():
                    product, created = _row_apply(row, ctx)
            except _RowInvalid as exc:
                report.errors.append(RowError(row.line, str(exc)))
                continue
            except (DatabaseError, ValidationError) as exc:
                report.errors.append(RowError(row.line, f"не сохранилась: {exc}"))
                continue
            ctx.brands.update(ctx.new_brands)
            ctx.seen[product.sku] = row.line
            report.product_ids.append(product.pk)
            if created:
                report.created += 1
            else:
                report.updated += 1
        if dry_run:
            transaction.set_rollback(True)
            return report
        ids = report.product_ids
        for start in range(0, len(ids), REFRESH_CHUNK):
            product_refresh_search(product_ids=ids[start : start + REFRESH_CHUNK])
    return report
