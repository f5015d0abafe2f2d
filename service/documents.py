"""Acts of completed works of an installation and of a paid repair: private PDFs, made again whenever asked, overwriting
the last."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.vat import DEFAULT_RATE, VatRate, vat_amount
from orders.documents import amount_in_words, pdf_render, pdf_replace, seller_details, vat_groups
from service.models import (
    EstimateLine,
    EstimateSection,
    InstallationRequest,
    InstallationStatus,
    RepairRequest,
    RepairStatus,
    WarrantyStatus,
    WorkLine,
)

ACT_TEMPLATE = "service/documents/installation_act.html"
# Works, materials and extra services are sold at the shop's standard rate.
ACT_VAT_RATE = DEFAULT_RATE
ACT_STATUSES = (InstallationStatus.HANDED_OVER, InstallationStatus.CLOSED)

REPAIR_ACT_TEMPLATE = "service/documents/repair_act.html"
# Diagnostics, a technician's visit and a repair are services, taxed at the general rate (NK RF art. 164 p. 3).
REPAIR_VAT_RATE = VatRate.VAT_22
# The repaired equipment is handed back at «Готово»; a closed request keeps its act and the sweep still sees it.
REPAIR_ACT_STATUSES = (RepairStatus.READY, RepairStatus.CLOSED)
SERVICE_UNIT = "усл."


@dataclass(frozen=True)
class ActLine:
    number: int
    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    total: Decimal
    vat: Decimal
    vat_rate: str

    @property
    def vat_label(self) -> str:
        return VatRate(self.vat_rate).label


@dataclass(frozen=True)
class ActSection:
    title: str
    lines: list[ActLine]
    total: Decimal
    vat: Decimal


def _act_line(*, number: int, name: str, quantity: Decimal, unit: str, price: Decimal, total: Decimal, rate: str):
    return ActLine(
        number=number,
        name=name,
        quantity=quantity,
        unit=unit,
        price=price,
        total=total,
        vat=vat_amount(total, rate),
        vat_rate=rate,
    )


def _section(title: str, lines: list[WorkLine] | list[EstimateLine], start: int) -> ActSection:
    act_lines = [
        _act_line(
            number=start + index,
            name=line.name,
            quantity=line.quantity,
            unit=line.unit,
            price=line.price,
            total=line.total,
            rate=ACT_VAT_RATE,
        )
        for index, line in enumerate(lines, start=1)
    ]
    return ActSection(
        title=title,
        lines=act_lines,
        total=sum((line.total for line in act_lines), Decimal("0.00")),
        vat=sum((line.vat for line in act_lines), Decimal("0.00")),
    )


def surname_initials(*, first_name: str, last_name: str, fallback: str) -> str:
    """«Соколова И.» for a signature line (402-FZ art. 9: surname and initials); the text as given without a surname."""
    if not last_name:
        return fallback
    initials = " ".join(f"{part[0]}." for part in first_name.split() if part)
    return f"{last_name} {initials}".strip()


def _customer(request) -> dict:
    """Who accepts the work: the account's holder; the contact on site may be someone else (a guard, a concierge)."""
    user = request.user
    return {
        "customer_name": user.get_full_name() if (user.first_name or user.last_name) else request.contact_name,
        "customer_signature": surname_initials(
            first_name=user.first_name, last_name=user.last_name, fallback=request.contact_name
        ),
    }


def _status_reached_at(request, status: str):
    """The local time the request last reached the status (now, if its history does not say)."""
    reached = [change.created_at for change in request.history.all() if change.status == status]
    return timezone.localtime(reached[-1] if reached else timezone.now())


def _act_store(model, *, request_id: int, pdf: bytes) -> str:
    """Put the act into the request's private file under a fixed name, replacing the last, and note when."""
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=request_id)
        pdf_replace(locked.act, name=f"act-{locked.number}.pdf", pdf=pdf)
        locked.act_made_at = timezone.now()
        locked.save(update_fields=["act", "act_made_at", "updated_at"])
    return locked.act.name


def act_lines(*, request: InstallationRequest) -> list:
    """The final lines staff agreed with the customer; before any exist, the lines of the package the customer chose."""
    final = list(request.work_lines.all())
    if final:
        return final
    return [line for line in request.estimate_lines.all() if line.package_id == request.package_id]


def act_context(*, request: InstallationRequest) -> dict:
    """What the act prints: the final lines by section, VAT by line, totals, object, crew, dates and who signs."""
    lines = act_lines(request=request)
    by_section = {section: [line for line in lines if line.section == section] for section in EstimateSection.values}
    works = _section("Работы", by_section[EstimateSection.WORKS], 0)
    materials = _section("Материалы", by_section[EstimateSection.MATERIALS], len(works.lines))
    extras = _section("Дополнительные услуги, в месяц", by_section[EstimateSection.EXTRAS], 0)
    one_time = [section for section in (works, materials) if section.lines]
    total = sum((section.total for section in one_time), Decimal("0.00"))
    return {
        "req": request,
        "seller": seller_details(),
        **_customer(request),
        "sections": one_time,
        "extras": extras,
        "total": total,
        "vat_groups": vat_groups((line.vat_rate, line.vat) for section in one_time for line in section.lines),
        "total_words": amount_in_words(total),
        "installed_on": timezone.localtime(request.slot.starts_at).date() if request.slot else None,
        "handed_over_at": _status_reached_at(request, InstallationStatus.HANDED_OVER),
    }


def installation_act_render(*, request: InstallationRequest) -> bytes:
    """The PDF of the act of completed works."""
    return pdf_render(template=ACT_TEMPLATE, context=act_context(request=request))


def installation_act_make(*, request_id: int) -> str:
    """Render the act of a handed-over installation and store it privately, replacing the one made before."""
    request = (
        InstallationRequest.objects.select_related("user", "crew", "package", "object_type", "region", "slot")
        .prefetch_related("estimate_lines", "work_lines", "history")
        .get(pk=request_id)
    )
    if request.status not in ACT_STATUSES:
        return ""
    return _act_store(InstallationRequest, request_id=request_id, pdf=installation_act_render(request=request))


def installation_acts_missing(*, limit: int = 200) -> list[int]:
    """Handed-over installations whose act was never made (a worker or broker was down): ids to make again."""
    # An act deleted with its customer's account keeps its time of making, so it is never made again.
    missing = InstallationRequest.objects.filter(status__in=ACT_STATUSES, act="", act_made_at__isnull=True)
    missing = missing.order_by("pk")
    return list(missing.values_list("pk", flat=True)[:limit])


# --- Paid repair ------------------------------------------------------------------------------------


def act_due(*, request) -> bool:
    """Whether the request's work is handed back and it gets an act: a warranty repair's papers are the warranty's."""
    if isinstance(request, RepairRequest):
        return request.status in REPAIR_ACT_STATUSES and request.warranty != WarrantyStatus.WARRANTY
    return request.status in ACT_STATUSES


def repair_act_lines(
    *, diagnostics_fee: Decimal, visit_fee: Decimal, repair_cost: Decimal | None, diagnosis: str, equipment: str
) -> list[ActLine]:
    """Diagnostics, the visit and the repair, one service each, as agreed with the customer.

    Diagnostics counts towards the cost of a repair the customer agreed to (the repair form promises it), so the
    repair line is the agreed cost less the diagnostics already on the act: the total is the cost agreed, not more.
    """
    one = Decimal("1")
    lines = []
    if diagnostics_fee:
        lines.append(("Диагностика оборудования: " + equipment, diagnostics_fee))
    if visit_fee:
        lines.append(("Выезд техника на объект", visit_fee))
    if repair_cost is not None:
        rest = max(repair_cost - diagnostics_fee, Decimal("0.00"))
        lines.append(("Ремонт: " + (diagnosis.strip() or equipment), rest))
    return [
        _act_line(
            number=number, name=name, quantity=one, unit=SERVICE_UNIT, price=amount, total=amount, rate=REPAIR_VAT_RATE
        )
        for number, (name, amount) in enumerate(lines, start=1)
    ]


def repair_act_context(*, request: RepairRequest) -> dict:
    """What a paid repair's act prints: its services with VAT, the total in words, the equipment, who did the work."""
    equipment = request.equipment_model + (f", S/N {request.serial_number}" if request.serial_number else "")
    lines = repair_act_lines(
        diagnostics_fee=request.diagnostics_fee,
        visit_fee=request.visit_fee,
        repair_cost=request.repair_cost,
        diagnosis=request.diagnosis,
        equipment=equipment,
    )
    total = sum((line.total for line in lines), Decimal("0.00"))
    credited = min(request.diagnostics_fee, request.repair_cost) if request.repair_cost is not None else None
    return {
        "req": request,
        "seller": seller_details(),
        **_customer(request),
        "equipment": equipment,
        "lines": lines,
        "total": total,
        "credited": credited,
        "vat_groups": vat_groups((line.vat_rate, line.vat) for line in lines),
        "total_words": amount_in_words(total),
        "technician": request.slot.technician if request.slot else None,
        "visited_on": timezone.localtime(request.slot.starts_at).date() if request.slot else None,
        "ready_at": _status_reached_at(request, RepairStatus.READY),
    }


def repair_act_render(*, request: RepairRequest) -> bytes:
    """The PDF of a paid repair's act of completed works."""
    return pdf_render(template=REPAIR_ACT_TEMPLATE, context=repair_act_context(request=request))


def repair_act_make(*, request_id: int) -> str:
    """Render the act of a paid repair that is ready and store it privately, replacing the one made before."""
    request = (
        RepairRequest.objects.select_related("user", "slot__technician", "slot__centre", "centre")
        .prefetch_related("history")
        .get(pk=request_id)
    )
    if not act_due(request=request):
        return ""
    return _act_store(RepairRequest, request_id=request_id, pdf=repair_act_render(request=request))


def repair_acts_missing(*, limit: int = 200) -> list[int]:
    """Paid repairs handed back whose act was never made: ids to make again."""
    # An act deleted with its customer's account keeps its time of making, so it is never made again.
    missing = RepairRequest.objects.filter(status__in=REPAIR_ACT_STATUSES, act="", act_made_at__isnull=True)
    missing = missing.exclude(warranty=WarrantyStatus.WARRANTY).order_by("pk")
    return list(missing.values_list("pk", flat=True)[:limit])
