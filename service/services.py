"""Every write of the service: requests submitted, statuses moved, costs decided, slots made and taken."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.booking import slot_give_back, slot_take
from core.models import Region
from core.uploads import UploadRefused, upload_inspect
from service import selectors
from service.exceptions import (
    TRANSITION_NOT_ALLOWED,
    DecisionNotExpected,
    SlotTaken,
    SlotUnavailable,
    TransitionNotAllowed,
)
from service.models import (
    CostDecision,
    Crew,
    EquipmentSource,
    EstimateLine,
    InstallationPackage,
    InstallationRequest,
    InstallationStatus,
    InstallationStatusChange,
    NumberSequence,
    RepairAttachment,
    RepairFormat,
    RepairRequest,
    RepairStatus,
    RepairStatusChange,
    ServiceCentre,
    ServiceSlot,
    SlotKind,
    Technician,
)
from service.pricing import ObjectSurvey

MAX_ATTACHMENTS = 10
ATTACHMENT_LIMITS_MB = {"image": 10, "video": 200, "pdf": 20}
TOO_MANY_FILES = "Можно приложить не больше 10 файлов, а выбрано {count}."

REPAIR_TRANSITIONS = {
    RepairStatus.NEW: {RepairStatus.CONFIRMED, RepairStatus.CANCELLED},
    RepairStatus.CONFIRMED: {RepairStatus.DIAGNOSTICS, RepairStatus.CANCELLED},
    RepairStatus.DIAGNOSTICS: {RepairStatus.AWAITING_APPROVAL, RepairStatus.IN_REPAIR, RepairStatus.CANCELLED},
    RepairStatus.AWAITING_APPROVAL: {RepairStatus.IN_REPAIR, RepairStatus.CANCELLED},
    RepairStatus.IN_REPAIR: {RepairStatus.READY},
    RepairStatus.READY: {RepairStatus.CLOSED},
    RepairStatus.CLOSED: set(),
    RepairStatus.CANCELLED: set(),
}

INSTALLATION_TRANSITIONS = {
    InstallationStatus.NEW: {InstallationStatus.CONFIRMED, InstallationStatus.CANCELLED},
    InstallationStatus.CONFIRMED: {
        InstallationStatus.SURVEY,
        InstallationStatus.AWAITING_APPROVAL,
        InstallationStatus.INSTALLING,
        InstallationStatus.CANCELLED,
    },
    InstallationStatus.SURVEY: {InstallationStatus.AWAITING_APPROVAL, InstallationStatus.CANCELLED},
    InstallationStatus.AWAITING_APPROVAL: {InstallationStatus.INSTALLING, InstallationStatus.CANCELLED},
    InstallationStatus.INSTALLING: {InstallationStatus.HANDED_OVER},
    InstallationStatus.HANDED_OVER: {InstallationStatus.CLOSED},
    InstallationStatus.CLOSED: set(),
    InstallationStatus.CANCELLED: set(),
}


# --- Numbers and statuses ---------------------------------------------------------------------------


def _number_next(prefix: str) -> str:
    """The next human number under the prefix; the row lock serialises concurrent requests."""
    NumberSequence.objects.get_or_create(prefix=prefix)
    sequence = NumberSequence.objects.select_for_update().get(prefix=prefix)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}-{sequence.last:06d}"


@dataclass(frozen=True)
class _Flow:
    """How a kind of request moves: its map of transitions, its history table and its statuses."""

    transitions: dict
    history: type
    statuses: type


_FLOWS = {
    RepairRequest: _Flow(REPAIR_TRANSITIONS, RepairStatusChange, RepairStatus),
    InstallationRequest: _Flow(INSTALLATION_TRANSITIONS, InstallationStatusChange, InstallationStatus),
}


def _status_move(*, request, status: str, author, note: str = ""):
    """Lock the request, check the move against its map and record it; a cancelled future slot gives its place back."""
    model = type(request)
    flow = _FLOWS[model]
    request = model.objects.select_for_update().get(pk=request.pk)
    current = request.status
    if status not in flow.transitions[current]:
        raise TransitionNotAllowed(
            TRANSITION_NOT_ALLOWED.format(current=flow.statuses(current).label, target=flow.statuses(status).label)
        )
    request.status = status
    request.save(update_fields=["status", "updated_at"])
    flow.history.objects.create(request=request, status=status, author=author, note=note)
    if status == flow.statuses.CANCELLED and request.slot_id and request.slot.starts_at > timezone.now():
        slot_give_back(model=ServiceSlot, pk=request.slot_id)
    return request


@transaction.atomic
def repair_request_set_status(*, request: RepairRequest, status: str, author=None, note: str = "") -> RepairRequest:
    """Move a repair request along its transition map and record who did it and when."""
    return _status_move(request=request, status=status, author=author, note=note)


@transaction.atomic
def installation_request_set_status(
    *, request: InstallationRequest, status: str, author=None, note: str = ""
) -> InstallationRequest:
    """Move an installation request along its transition map; the handover orders the act of completed works."""
    request = _status_move(request=request, status=status, author=author, note=note)
    if status == InstallationStatus.HANDED_OVER:
        _act_after_commit(request.pk)
    return request


def _request_fields(*, prefix: str, user, draft, slot: ServiceSlot) -> dict:
    """What every request takes from its draft: a new number, the customer, the place, the contact and the slot."""
    return {
        "number": _number_next(prefix),
        "user": user,
        "region": draft.region,
        "address": draft.address,
        "access_notes": draft.access_notes,
        "contact_name": draft.contact_name,
        "contact_phone": draft.contact_phone,
        "slot": slot,
    }


def _request_confirm(request, *, user):
    """Record the new request and confirm it at once (its slot is taken); the customer is mailed after commit."""
    flow = _FLOWS[type(request)]
    flow.history.objects.create(request=request, status=flow.statuses.NEW, author=user)
    _status_move(request=request, status=flow.statuses.CONFIRMED, author=user)
    request.refresh_from_db()
    _mail_after_commit(request.number)
    return request


def _cost_decide(*, request, user, approve: bool, go_ahead: str, declined_note: str):
    """The customer's answer to a cost awaiting approval: the work goes ahead, or the request is cancelled."""
    model = type(request)
    statuses = _FLOWS[model].statuses
    locked = model.objects.select_for_update().get(pk=request.pk, user=user)
    if locked.status != statuses.AWAITING_APPROVAL:
        raise DecisionNotExpected
    locked.cost_decision = CostDecision.APPROVED if approve else CostDecision.DECLINED
    locked.save(update_fields=["cost_decision", "updated_at"])
    if approve:
        return _status_move(request=locked, status=go_ahead, author=user)
    return _status_move(request=locked, status=statuses.CANCELLED, author=user, note=declined_note)


# --- Slots ------------------------------------------------------------------------------------------


def service_slot_take(*, slot_id: int, kind: str, region: Region | None = None, centre=None, now=None) -> ServiceSlot:
    """Take a place in a slot that fits the request; SlotUnavailable or SlotTaken otherwise."""
    now = now or timezone.now()
    fitting = _fitting_slots(kind=kind, region=region, centre=centre, now=now)
    chosen = fitting.filter(pk=slot_id).first()
    if chosen is None:
        raise SlotUnavailable
    candidates = [chosen]
    if kind == SlotKind.VISIT:
        # The customer chose a time; another free technician of the region at that time will do as well.
        candidates += list(fitting.filter(starts_at=chosen.starts_at).exclude(pk=chosen.pk).order_by("pk"))
    for slot in candidates:
        if slot_take(model=ServiceSlot, pk=slot.pk):
            return slot
    raise SlotTaken


@transaction.atomic
def service_request_slot_move(*, request, slot: ServiceSlot) -> None:
    """Staff move a request to another slot of the same kind: the new place is taken, the old one given back."""
    locked = type(request).objects.select_for_update().get(pk=request.pk)
    if locked.slot_id == slot.pk:
        return
    if locked.slot_id and locked.slot.kind != slot.kind:
        raise SlotUnavailable
    if not slot_take(model=ServiceSlot, pk=slot.pk):
        raise SlotTaken
    if locked.slot_id:
        slot_give_back(model=ServiceSlot, pk=locked.slot_id)
    locked.slot = slot
    fields = ["slot", "updated_at"]
    if isinstance(locked, InstallationRequest):
        locked.crew = slot.crew
        fields.append("crew")
    locked.save(update_fields=fields)


def _fitting_slots(*, kind, region, centre, now):
    slots = ServiceSlot.objects.filter(kind=kind, starts_at__gt=now).select_related("technician", "centre", "crew")
    if kind == SlotKind.VISIT:
        return slots.filter(technician__regions=region, technician__is_active=True)
    if kind == SlotKind.INSTALL:
        return slots.filter(crew__regions=region, crew__is_active=True)
    return slots.filter(centre=centre, centre__is_active=True)


def _day_starts(owner, day: datetime.date, tz) -> list[tuple[datetime.datetime, datetime.datetime]]:
    if str(day.isoweekday()) not in owner.work_days:
        return []
    start = timezone.make_aware(datetime.datetime.combine(day, owner.work_start), tz)
    end = timezone.make_aware(datetime.datetime.combine(day, owner.work_end), tz)
    step = datetime.timedelta(minutes=owner.slot_minutes)
    times = []
    while start + step <= end:
        times.append((start, start + step))
        start += step
    return times


@transaction.atomic
def service_slots_generate(*, days: int, today: datetime.date | None = None) -> int:
    """Make the next `days` days of slots from each technician's, centre's and crew's working hours.

    Existing slots are kept as they are (with their bookings); running it again adds only what is missing.
    """
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    new = []
    owners = [
        *((SlotKind.VISIT, "technician", t, t.slot_capacity) for t in Technician.objects.filter(is_active=True)),
        *((SlotKind.INSTALL, "crew", c, c.slot_capacity) for c in Crew.objects.filter(is_active=True)),
    ]
    for centre in ServiceCentre.objects.filter(is_active=True):
        owners.append((SlotKind.INTAKE, "centre", centre, centre.slot_capacity))
        owners.append((SlotKind.COURIER, "centre", centre, centre.courier_capacity))
    for offset in range(1, days + 1):
        day = today + datetime.timedelta(days=offset)
        for kind, owner_field, owner, capacity in owners:
            for starts_at, ends_at in _day_starts(owner, day, tz):
                new.append(
                    ServiceSlot(
                        kind=kind, starts_at=starts_at, ends_at=ends_at, capacity=capacity, **{owner_field: owner}
                    )
                )
    before = ServiceSlot.objects.count()
    ServiceSlot.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return ServiceSlot.objects.count() - before


# --- Attachments ------------------------------------------------------------------------------------


def repair_attachments_check(*, files: list) -> list:
    """Inspect each file by its content; ValidationError listing every refusal with its reason."""
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(TOO_MANY_FILES.format(count=len(files)), code="too_many")
    checked, refusals = [], []
    for upload in files:
        try:
            checked.append((upload, upload_inspect(upload, limits_mb=ATTACHMENT_LIMITS_MB)))
        except UploadRefused as refused:
            refusals.append(ValidationError(str(refused), code="refused"))
    if refusals:
        raise ValidationError(refusals)
    return checked


# --- Repair -----------------------------------------------------------------------------------------


@dataclass
class RepairDraft:
    region: Region
    equipment_model: str
    source: str
    repair_format: str
    slot_id: int
    contact_name: str
    contact_phone: str
    serial_number: str = ""
    purchase_date: datetime.date | None = None
    product_id: int | None = None
    order_line_id: int | None = None
    symptoms: list[str] = field(default_factory=list)
    description: str = ""
    centre: ServiceCentre | None = None
    address: str = ""
    access_notes: str = ""
    files: list = field(default_factory=list)


@transaction.atomic
def repair_request_submit(*, user, draft: RepairDraft, today: datetime.date | None = None) -> RepairRequest:
    """Accept a repair request: check the files, price it, take the slot and confirm it; mail after commit."""
    today = today or timezone.localdate()
    checked = repair_attachments_check(files=draft.files)
    purchase = selectors.purchase_of_user(user=user, line_id=draft.order_line_id)
    if purchase is not None:
        # Bought here: the order, not the customer's word, gives the date and the warranty.
        draft.source, draft.purchase_date = EquipmentSource.OURS, purchase.purchased_on
        warranty_months = purchase.warranty_months
    else:
        draft.order_line_id = None
        warranty_months = selectors.product_warranty_months(product_id=draft.product_id)
    offer = selectors.repair_offer(
        source=draft.source,
        purchase_date=draft.purchase_date,
        warranty_months=warranty_months,
        region=draft.region,
        repair_format=draft.repair_format,
        today=today,
    )
    is_visit = draft.repair_format == RepairFormat.VISIT
    slot = service_slot_take(
        slot_id=draft.slot_id,
        kind=draft.repair_format,
        region=draft.region,
        centre=None if is_visit else draft.centre,
    )
    request = RepairRequest(
        **_request_fields(prefix="R", user=user, draft=draft, slot=slot),
        equipment_model=draft.equipment_model,
        serial_number=draft.serial_number,
        source=draft.source,
        purchase_date=draft.purchase_date,
        product_id=draft.product_id,
        order_line_id=draft.order_line_id,
        symptoms=draft.symptoms,
        description=draft.description,
        format=draft.repair_format,
        centre=slot.centre,
        is_warranty=offer.verdict.is_warranty,
        diagnostics_fee=offer.quote.diagnostics_fee if offer.quote else 0,
        visit_fee=offer.quote.visit_fee if offer.quote else 0,
    )
    request.full_clean(exclude=["number", "user", "region", "slot", "centre", "product"])
    request.save()
    for upload, sniffed in checked:
        RepairAttachment.objects.create(
            request=request,
            file=upload,
            original_name=upload.name[:255],
            kind=sniffed.kind,
            content_type=sniffed.content_type,
            size=upload.size,
        )
    return _request_confirm(request, user=user)


def _mail_after_commit(number: str) -> None:
    from service.tasks import service_request_confirmed_email

    transaction.on_commit(lambda: service_request_confirmed_email.delay(number=number))


def _act_after_commit(request_id: int) -> None:
    """The act of completed works is made by a worker once the handover is committed; the sweep covers a lost one."""
    from orders.tasks import enqueue_after_commit
    from service.tasks import installation_act_task

    enqueue_after_commit(installation_act_task, request_id=request_id)


@transaction.atomic
def repair_cost_decide(*, request: RepairRequest, user, approve: bool) -> RepairRequest:
    """The customer approves the repair cost (repair starts) or declines it (the request is cancelled)."""
    return _cost_decide(
        request=request,
        user=user,
        approve=approve,
        go_ahead=RepairStatus.IN_REPAIR,
        declined_note="Клиент отказался от ремонта",
    )


# --- Installation -----------------------------------------------------------------------------------


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
    return _cost_decide(
        request=request,
        user=user,
        approve=approve,
        go_ahead=InstallationStatus.INSTALLING,
        declined_note="Клиент отказался от сметы",
    )
