"""Installation requests (БП-7): estimates of every package saved, a crew's slot taken, confirmed."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Region
from service import selectors
from service.exceptions import (
    SlotUnavailable,
)
from service.models import (
    EstimateLine,
    InstallationPackage,
    InstallationRequest,
    InstallationStatus,
    SlotKind,
)
from service.pricing import ObjectSurvey
from service.services.slots import service_slot_take
from service.services.status import _cost_decide, _request_confirm, _request_fields, installation_work_lines_seed


@dataclass
class InstallationDraft:
    region: Region
    object_type_id: int | None
    object_type_slug: str
    area_m2: int
    floors: int
    goals: list[str]
    desired_date: datetime.date
    package: InstallationPackage
    slot_id: int
    contact_name: str
    contact_phone: str
    address: str = ""
    access_notes: str = ""
    access_mode: str = ""
    has_internet: bool = False
    has_lan: bool = False
    special_zones: list[str] = field(default_factory=list)
    turnkey: bool = True
    own_equipment: str = ""
    wants_survey: bool = False


@transaction.atomic
def installation_request_submit(*, user, draft: InstallationDraft) -> InstallationRequest:
    """Accept an installation request: save the estimate of every package, take the crew's slot, confirm it."""
    survey = ObjectSurvey(
        object_type=draft.object_type_slug,
        area_m2=draft.area_m2,
        floors=draft.floors,
        goals=frozenset(draft.goals),
    )
    estimates = selectors.installation_estimates(survey=survey)
    chosen = next((estimate for package, estimate in estimates if package.pk == draft.package.pk), None)
    if chosen is None:
        raise ValidationError({"package": "Выберите пакет из предложенных."})
    slot = service_slot_take(slot_id=draft.slot_id, kind=SlotKind.INSTALL, region=draft.region)
    if slot.starts_at.astimezone(timezone.get_current_timezone()).date() != draft.desired_date:
        raise SlotUnavailable
    request = InstallationRequest(
        **_request_fields(prefix="U", user=user, draft=draft, slot=slot),
        crew=slot.crew,
        object_type_id=draft.object_type_id,
        area_m2=draft.area_m2,
        floors=draft.floors,
        has_internet=draft.has_internet,
        has_lan=draft.has_lan,
        special_zones=draft.special_zones,
        access_mode=draft.access_mode,
        goals=draft.goals,
        turnkey=draft.turnkey,
        own_equipment=draft.own_equipment,
        desired_date=draft.desired_date,
        wants_survey=draft.wants_survey,
        package=draft.package,
        one_time_total=chosen.one_time_total,
        monthly_total=chosen.monthly_total,
    )
    request.full_clean(exclude=["number", "user", "region", "slot", "crew", "package", "object_type"])
    request.save()
    EstimateLine.objects.bulk_create(
        EstimateLine(
            request=request,
            package=package,
            section=line.section,
            name=line.name,
            unit=line.unit,
            quantity=line.quantity,
            price=line.price,
            total=line.total,
            position=position,
        )
        for package, estimate in estimates
        for position, line in enumerate(estimate.lines)
    )
    return _request_confirm(request, user=user)


@transaction.atomic
def installation_estimate_decide(*, request: InstallationRequest, user, approve: bool) -> InstallationRequest:
    """The customer approves the final estimate (installation starts) or declines it."""
    request = _cost_decide(
        request=request,
        user=user,
        approve=approve,
        go_ahead=InstallationStatus.INSTALLING,
        declined_note="Клиент отказался от сметы",
    )
    if request.status == InstallationStatus.INSTALLING:
        installation_work_lines_seed(request=request)
    return request
