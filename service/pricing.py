"""Pure price rules of the service: the warranty check, a repair's preliminary cost, an installation estimate."""

import calendar
import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import to_kopecks

WARRANTY_FREE = "Гарантийный ремонт — бесплатно"
WARRANTY_EXPIRED = "Гарантия закончилась {date:%d.%m.%Y}: ремонт платный"
WARRANTY_NOT_OURS = "Куплено не у нас: ремонт платный"
WARRANTY_UNKNOWN = "Не знаем дату покупки или срок гарантии: ремонт платный, гарантию проверим при приёме"
WARRANTY_AT_INTAKE = "Гарантию проверим при приёме"

SOURCE_OURS = "ours"


@dataclass(frozen=True)
class WarrantyVerdict:
    is_warranty: bool
    message: str
    ends_on: datetime.date | None = None
    pending: bool = False  # staff decide at intake; meanwhile the preliminary cost stands


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31.01 + 1 → 28.02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_check(
    *, source: str, purchase_date: datetime.date | None, warranty_months: int | None, today: datetime.date
) -> WarrantyVerdict:
    """Warranty repair when the equipment is ours and today is within its warranty period (the last day included)."""
    if source != SOURCE_OURS:
        return WarrantyVerdict(False, WARRANTY_NOT_OURS)
    if purchase_date is None or not warranty_months or purchase_date > today:
        return WarrantyVerdict(False, WARRANTY_UNKNOWN)
    ends_on = add_months(purchase_date, warranty_months)
    if today <= ends_on:
        return WarrantyVerdict(True, WARRANTY_FREE, ends_on)
    return WarrantyVerdict(False, WARRANTY_EXPIRED.format(date=ends_on), ends_on)


def repair_warranty(
    *,
    source: str,
    from_our_order: bool,
    handed_over_on: datetime.date | None,
    warranty_months: int | None,
    today: datetime.date,
) -> WarrantyVerdict:
    """A free repair only for a line of the customer's own order; «ours» by their word alone waits for staff.

    The period runs from the day the goods were handed over (ЗоЗПП art. 19), not from payment.
    """
    if source != SOURCE_OURS:
        return WarrantyVerdict(False, WARRANTY_NOT_OURS)
    if not from_our_order:
        return WarrantyVerdict(False, WARRANTY_AT_INTAKE, pending=True)
    return warranty_check(source=source, purchase_date=handed_over_on, warranty_months=warranty_months, today=today)


@dataclass(frozen=True)
class RepairQuote:
    is_warranty: bool
    diagnostics_fee: Decimal
    visit_fee: Decimal

    @property
    def total(self) -> Decimal:
        return self.diagnostics_fee + self.visit_fee


def repair_quote(
    *, verdict: WarrantyVerdict, is_visit: bool, diagnostics_fee: Decimal, visit_fee: Decimal
) -> RepairQuote:
    """Nothing to pay under warranty; otherwise diagnostics, plus the zone's visit fee for a visit."""
    if verdict.is_warranty:
        return RepairQuote(True, Decimal("0.00"), Decimal("0.00"))
    return RepairQuote(False, to_kopecks(diagnostics_fee), to_kopecks(visit_fee if is_visit else 0))


# --- Installation estimate --------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectSurvey:
    object_type: str  # ObjectType slug, "" for другое
    area_m2: int
    floors: int
    goals: frozenset[str]


@dataclass(frozen=True)
class Rule:
    section: str
    name: str
    basis: str  # fixed, device, m2, floor, monthly
    price: Decimal
    quantity: Decimal = Decimal("1")
    unit: str = "шт"
    goal: str = ""
    object_type: str = ""
    area_per_device: Decimal | None = None
    packages: frozenset[str] = frozenset()  # package slugs; empty: every package
    hourly: bool = False


@dataclass(frozen=True)
class Package:
    slug: str
    name: str
    coverage: Decimal


@dataclass(frozen=True)
class Line:
    section: str
    name: str
    unit: str
    quantity: Decimal
    price: Decimal
    total: Decimal
    hourly: bool = False


@dataclass
class Estimate:
    package: Package
    lines: list[Line] = field(default_factory=list)

    @property
    def one_time_total(self) -> Decimal:
        return sum((line.total for line in self.lines if line.section != "extras"), Decimal("0.00"))

    @property
    def monthly_total(self) -> Decimal:
        return sum((line.total for line in self.lines if line.section == "extras"), Decimal("0.00"))

    def section(self, name: str) -> list[Line]:
        return [line for line in self.lines if line.section == name]


def devices_needed(*, area_m2: int, floors: int, area_per_device: Decimal, coverage: Decimal) -> int:
    """Devices to cover the area at the package's coverage: at least one per floor."""
    return max(floors, math.ceil(Decimal(area_m2) * coverage / area_per_device))


def _base_quantity(rule: Rule, survey: ObjectSurvey, package: Package) -> Decimal:
    if rule.basis == "device":
        return Decimal(
            devices_needed(
                area_m2=survey.area_m2,
                floors=survey.floors,
                area_per_device=rule.area_per_device,
                coverage=package.coverage,
            )
        )
    if rule.basis == "m2":
        return Decimal(survey.area_m2)
    if rule.basis == "floor":
        return Decimal(survey.floors)
    return Decimal(1)


def rule_applies(rule: Rule, survey: ObjectSurvey, package: Package) -> bool:
    if rule.goal and rule.goal not in survey.goals:
        return False
    if rule.object_type and rule.object_type != survey.object_type:
        return False
    return not rule.packages or package.slug in rule.packages


def installation_estimate(*, survey: ObjectSurvey, rules: list[Rule], package: Package) -> Estimate:
    """The lines of one package's estimate; quantities rounded up to hundredths, totals to kopecks."""
    estimate = Estimate(package=package)
    if not survey.goals:
        return estimate
    for rule in rules:
        if not rule_applies(rule, survey, package):
            continue
        quantity = (_base_quantity(rule, survey, package) * rule.quantity).quantize(Decimal("0.01"), "ROUND_CEILING")
        estimate.lines.append(
            Line(
                section=rule.section,
                name=rule.name,
                unit=rule.unit,
                quantity=quantity,
                price=rule.price,
                total=to_kopecks(quantity * rule.price),
                hourly=rule.hourly,
            )
        )
    return estimate
