"""Every read the service pages need."""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.http import Http404
from django.utils import timezone

from core.models import Region
from orders.models import OrderLine
from orders.selectors import Purchase, customer_purchases
from service.models import (
    EstimateRule,
    EstimateSection,
    InstallationPackage,
    InstallationRequest,
    RepairAttachment,
    RepairFormat,
    RepairRequest,
    ServiceCentre,
    ServiceSlot,
    ServiceZone,
    SlotKind,
    WorkLine,
)
from service.pricing import (
    Estimate,
    ObjectSurvey,
    Package,
    RepairQuote,
    Rule,
    WarrantyVerdict,
    installation_estimate,
    repair_quote,
    repair_warranty,
)

SLOT_DAYS = 14
VIEW_REPAIR = "service.view_repairrequest"
VIEW_INSTALLATION = "service.view_installationrequest"


def zone_for_region(*, region: Region | None) -> ServiceZone | None:
    if region is None:
        return None
    return ServiceZone.objects.filter(regions=region).order_by("pk").first()


def purchases_of_user(*, user) -> list[Purchase]:
    """«Мои покупки»: the goods the customer bought here, each dated by its handover, where the warranty starts.

    An order received before `received_at` was kept, or not received yet, falls back to its payment date.
    """
    purchases = customer_purchases(user=user)
    if not purchases:
        return []
    dates = OrderLine.objects.filter(pk__in=[p.line_id for p in purchases]).values_list(
        "pk", "order__received_at", "order__paid_at"
    )
    handovers = {pk: received or paid for pk, received, paid in dates}
    return [
        dataclasses.replace(p, purchased_on=timezone.localtime(handovers[p.line_id]).date())
        if handovers.get(p.line_id)
        else p
        for p in purchases
    ]


def purchase_of_user(*, user, line_id: int | None) -> Purchase | None:
    if not line_id:
        return None
    return next((p for p in purchases_of_user(user=user) if p.line_id == line_id), None)


@dataclass(frozen=True)
class RepairOffer:
    verdict: WarrantyVerdict
    quote: RepairQuote | None  # None: no zone serves the region


def repair_offer(
    *,
    source: str,
    purchase: Purchase | None,
    region: Region | None,
    repair_format: str,
    today: datetime.date,
) -> RepairOffer:
    """The warranty verdict (from the customer's order only) and the preliminary cost shown before confirming."""
    verdict = repair_warranty(
        source=source,
        from_our_order=purchase is not None,
        handed_over_on=purchase.purchased_on if purchase else None,
        warranty_months=purchase.warranty_months if purchase else None,
        today=today,
    )
    return RepairOffer(verdict, repair_quote_for(verdict=verdict, region=region, repair_format=repair_format))


def repair_quote_for(*, verdict: WarrantyVerdict, region: Region | None, repair_format: str) -> RepairQuote | None:
    """The zone's fees for the verdict: nothing under warranty; None where no zone serves the region."""
    zone = zone_for_region(region=region)
    if zone is None:
        return None
    return repair_quote(
        verdict=verdict,
        is_visit=repair_format == RepairFormat.VISIT,
        diagnostics_fee=zone.diagnostics_fee,
        visit_fee=zone.visit_fee,
    )


def free_slots(
    *,
    kind: str,
    region: Region | None = None,
    centre: ServiceCentre | None = None,
    date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[ServiceSlot]:
    """Slots with a free place, from now on: a technician's or crew's in the region, or a centre's."""
    now = now or timezone.now()
    slots = ServiceSlot.objects.filter(kind=kind, starts_at__gt=now, booked__lt=F("capacity"))
    if kind == SlotKind.VISIT:
        if region is None:
            return []
        slots = slots.filter(technician__regions=region, technician__is_active=True).select_related("technician")
    elif kind == SlotKind.INSTALL:
        if region is None or date is None:
            return []
        slots = slots.filter(crew__regions=region, crew__is_active=True).select_related("crew")
    else:
        if centre is None:
            return []
        slots = slots.filter(centre=centre).select_related("centre")
    if date is not None:
        slots = slots.filter(starts_at__date=date)
    else:
        slots = slots.filter(starts_at__lt=now + datetime.timedelta(days=SLOT_DAYS))
    return list(slots.order_by("starts_at", "pk"))


def centres_active() -> list[ServiceCentre]:
    return list(ServiceCentre.objects.filter(is_active=True).select_related("region"))


def estimate_rules_load() -> list[Rule]:
    """The active rules as pure values, with their packages and object types in two queries."""
    rules = (
        EstimateRule.objects.filter(is_active=True)
        .select_related("object_type")
        .prefetch_related("packages")
        .order_by("section", "position", "pk")
    )
    order = {"works": 0, "materials": 1, "extras": 2}
    return [
        Rule(
            section=rule.section,
            name=rule.name,
            basis=rule.basis,
            price=rule.price,
            quantity=rule.quantity,
            unit=rule.unit,
            goal=rule.goal,
            object_type=rule.object_type.slug if rule.object_type else "",
            area_per_device=rule.area_per_device,
            packages=frozenset(package.slug for package in rule.packages.all()),
            hourly=rule.hourly,
        )
        for rule in sorted(rules, key=lambda r: (order.get(r.section, 9), r.position, r.pk))
    ]


def packages_active() -> list[InstallationPackage]:
    return list(InstallationPackage.objects.filter(is_active=True).order_by("position", "pk"))


def installation_estimates(*, survey: ObjectSurvey) -> list[tuple[InstallationPackage, Estimate]]:
    """Each offered package beside its estimate for the object."""
    rules = estimate_rules_load()
    return [
        (
            package,
            installation_estimate(
                survey=survey, rules=rules, package=Package(package.slug, package.name, package.coverage)
            ),
        )
        for package in packages_active()
    ]


def requests_of_user(*, user) -> list:
    """The customer's repair and installation requests, newest first."""
    repairs = list(RepairRequest.objects.filter(user=user).select_related("slot"))
    installs = list(InstallationRequest.objects.filter(user=user).select_related("slot", "package"))
    return sorted(repairs + installs, key=lambda r: (r.created_at, r.pk), reverse=True)


def request_of_user(*, user, number: str):
    """One of the customer's requests with everything its page shows; Http404 for anyone else's."""
    if number.startswith("R-"):
        queryset = RepairRequest.objects.select_related("slot__technician", "slot__centre", "centre", "region")
        queryset = queryset.prefetch_related("history__author", "attachments")
    elif number.startswith("U-"):
        queryset = InstallationRequest.objects.select_related("slot__crew", "package", "object_type", "region")
        queryset = queryset.prefetch_related("history__author", "estimate_lines__package", "work_lines")
    else:
        raise Http404
    request = queryset.filter(number=number, user=user).first()
    if request is None:
        raise Http404
    return request


def staff_may_view(*, user, permission: str) -> bool:
    """A staff member whose role includes the view permission (a superuser has every one)."""
    return user.is_staff and user.has_perm(permission)


def attachment_for(*, user, token) -> RepairAttachment:
    """A file for its owner or for staff who may view repair requests; Http404 for anyone else."""
    attachment = RepairAttachment.objects.select_related("request").filter(token=token).first()
    if attachment is None or not (
        attachment.request.user_id == user.pk or staff_may_view(user=user, permission=VIEW_REPAIR)
    ):
        raise Http404
    return attachment


def act_for(*, user, number: str) -> RepairRequest | InstallationRequest:
    """A request whose act is made, for its owner or for staff who may view that kind of request; Http404 otherwise."""
    if number.startswith("R-"):
        model, permission = RepairRequest, VIEW_REPAIR
    elif number.startswith("U-"):
        model, permission = InstallationRequest, VIEW_INSTALLATION
    else:
        raise Http404
    request = model.objects.filter(number=number).only("number", "user_id", "act").first()
    if (
        request is None
        or not (request.user_id == user.pk or staff_may_view(user=user, permission=permission))
        or not request.act
    ):
        raise Http404
    return request


@dataclass(frozen=True)
class FinalCost:
    """An installation's final agreed lines, as its page shows them: one-time and monthly totals apart."""

    lines: list[WorkLine]
    one_time_total: Decimal
    monthly_total: Decimal


def installation_final_cost(*, request: InstallationRequest) -> FinalCost | None:
    """The final lines staff agreed with the customer (prefetched with the page), or None before there are any."""
    lines = list(request.work_lines.all())
    if not lines:
        return None
    monthly = [line.total for line in lines if line.section == EstimateSection.EXTRAS]
    one_time = [line.total for line in lines if line.section != EstimateSection.EXTRAS]
    return FinalCost(lines, sum(one_time, Decimal("0.00")), sum(monthly, Decimal("0.00")))
