"""What one step of an import knows: the catalogue's 1C identifiers, and what the step changed."""

from dataclasses import dataclass, field

from catalog.importing import slugify_ru
from catalog.models import Attribute, Brand, Category, Warehouse
from exchange.models import DirectoryValue, ExchangeEntry, ExchangeSession, PriceType

FROM_1C_NAME = "Из 1С"
FROM_1C_SLUG = "iz-1s"


@dataclass
class StepReport:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    changed_products: set[int] = field(default_factory=set)
    searched_products: set[int] = field(default_factory=set)  # what search reads changed, not just a price

    def error(self, line: int | None, message: str) -> None:
        self.errors.append((line, message))


@dataclass
class Context:
    session: ExchangeSession
    filename: str
    categories: dict[str, int]  # 1C group Ид → category id
    attributes: dict[str, tuple[int, str]]  # 1C property Ид → (attribute id, type of values)
    directory: dict[tuple[int, str], str]  # (attribute id, value Ид) → value
    brands: dict[str, int]  # lower-case name → brand id
    warehouses: dict[str, int]  # 1C warehouse Ид → warehouse id
    price_types: dict[str, PriceType]
    report: StepReport = field(default_factory=StepReport)
    full_unload: bool = False

    @classmethod
    def load(cls, *, session: ExchangeSession, filename: str) -> "Context":
        return cls(
            session=session,
            filename=filename,
            categories=dict(Category.objects.filter(external_id__isnull=False).values_list("external_id", "pk")),
            attributes={
                a.external_id: (a.pk, "")
                for a in Attribute.objects.filter(external_id__isnull=False).only("pk", "external_id")
            },
            directory={(v.attribute_id, v.external_id): v.value for v in DirectoryValue.objects.all()},
            brands={name.lower(): pk for pk, name in Brand.objects.values_list("pk", "name")},
            warehouses=dict(Warehouse.objects.filter(external_id__isnull=False).values_list("external_id", "pk")),
            price_types={p.external_id: p for p in PriceType.objects.all()},
        )

    def note(self, message: str, line: int | None = None, *, error: bool = True) -> None:
        """Log a problem (or a notice) of the file with its XML line."""
        if error:
            self.report.error(line, message)
        ExchangeEntry.objects.create(
            session=self.session, mode="import", filename=self.filename, line=line, message=message, is_error=error
        )

    def root_category(self) -> int:
        """The category new 1C groups without a parent go under («Из 1С»), made when first needed."""
        category, _ = Category.objects.get_or_create(
            slug=FROM_1C_SLUG, defaults={"name": FROM_1C_NAME, "position": 999}
        )
        return category.pk

    def brand(self, name: str) -> int | None:
        if not name:
            return None
        key = name[:100].lower()
        if key not in self.brands:
            slug = base = slugify_ru(name)[:90]
            suffix = 2
            while Brand.objects.filter(slug=slug).exists():
                slug, suffix = f"{base}-{suffix}", suffix + 1
            self.brands[key] = Brand.objects.create(name=name[:100], slug=slug).pk
        return self.brands[key]
