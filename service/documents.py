"""The act of completed works of an installation: a private PDF, made again whenever asked, overwriting the last."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.vat import DEFAULT_RATE, VatRate, vat_amount
from orders.documents import amount_in_words, pdf_render, pdf_replace, seller_details, vat_groups
from service.models import EstimateLine, EstimateSection, InstallationRequest, InstallationStatus, WorkLine

ACT_TEMPLATE = "service/documents/installation_act.html"
# Works, materials and extra services are sold at the shop's standard rate.
ACT_VAT_RATE = DEFAULT_RATE
ACT_STATUSES = (InstallationStatus.HANDED_OVER, InstallationStatus.CLOSED)


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


def _section(title: str, lines: list[WorkLine] | list[EstimateLine], start: int) -> ActSection:
    act_lines = [
        ActLine(
            number=start + index,
            name=line.name,
            quantity=line.quantity,
            unit=line.unit,
            price=line.price,
            total=line.total,
            vat=vat_amount(line.total, ACT_VAT_RATE),
            vat_rate=ACT_VAT_RATE,
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
    user = request.user
    handed_over = [change for change in request.history.all() if change.status == InstallationStatus.HANDED_OVER]
    return {
        "req": request,
        "seller": seller_details(),
        # The account's holder signs; the contact on site may be someone else (a guard, a concierge).
        "customer_name": user.get_full_name() if (user.first_name or user.last_name) else request.contact_name,
        "customer_signature": surname_initials(
            first_name=user.first_name, last_name=user.last_name, fallback=request.contact_name
        ),
        "sections": one_time,
        "extras": extras,
        "total": total,
        "vat_groups": vat_groups((line.vat_rate, line.vat) for section in one_time for line in section.lines),
        "total_words": amount_in_words(total),
        "installed_on": timezone.localtime(request.slot.starts_at).date() if request.slot else None,
        "handed_over_at": timezone.localtime(handed_over[-1].created_at if handed_over else timezone.now()),
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
    pdf = installation_act_render(request=request)
    with transaction.atomic():
        locked = InstallationRequest.objects.select_for_update().get(pk=request_id)
        pdf_replace(locked.act, name=f"act-{locked.number}.pdf", pdf=pdf)
        locked.act_made_at = timezone.now()
        locked.save(update_fields=["act", "act_made_at", "updated_at"])
    return locked.act.name


def installation_acts_missing(*, limit: int = 200) -> list[int]:
    """Handed-over installations whose act was never made (a worker or broker was down): ids to make again."""
    # An act deleted with its customer's account keeps its time of making, so it is never made again.
    missing = InstallationRequest.objects.filter(status__in=ACT_STATUSES, act="", act_made_at__isnull=True)
    missing = missing.order_by("pk")
    return list(missing.values_list("pk", flat=True)[:limit])
