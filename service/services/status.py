"""Statuses of both kinds of request: numbers, moves along the maps, confirmation, cost decisions."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.booking import slot_give_back
from core.jobs import enqueue_after_commit
from service.exceptions import (
    TRANSITION_NOT_ALLOWED,
    DecisionNotExpected,
    TransitionNotAllowed,
)
from service.models import (
    CostDecision,
    EstimateLine,
    InstallationRequest,
    InstallationStatus,
    InstallationStatusChange,
    NumberSequence,
    RepairRequest,
    RepairStatus,
    RepairStatusChange,
    ServiceSlot,
    WarrantyStatus,
    WorkLine,
)

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


def _status_move(*, request, status: str, author, note: str = "", notify: bool = True):
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
    if notify:
        _status_mail_after_commit(request.number, note)
    return request


@transaction.atomic
def repair_request_set_status(*, request: RepairRequest, status: str, author=None, note: str = "") -> RepairRequest:
    """Move a repair request along its transition map; a paid repair that is ready orders its act of completed works."""
    request = _status_move(request=request, status=status, author=author, note=note)
    if status == RepairStatus.READY and request.warranty != WarrantyStatus.WARRANTY:
        _act_after_commit(request)
    return request


@transaction.atomic
def installation_request_set_status(
    *, request: InstallationRequest, status: str, author=None, note: str = ""
) -> InstallationRequest:
    """Move an installation request along its transition map; the handover orders the act of completed works."""
    request = _status_move(request=request, status=status, author=author, note=note)
    if status in (InstallationStatus.INSTALLING, InstallationStatus.HANDED_OVER):
        installation_work_lines_seed(request=request)
    if status == InstallationStatus.HANDED_OVER:
        _act_after_commit(request)
    return request


def installation_work_lines_seed(*, request: InstallationRequest) -> None:
    """The agreed package's estimate becomes the final cost's first draft, once; staff correct it in admin."""
    if WorkLine.objects.filter(request=request).exists():
        return
    estimate = EstimateLine.objects.filter(request=request, package_id=request.package_id).order_by("position", "pk")
    WorkLine.objects.bulk_create(
        WorkLine(
            request=request,
            section=line.section,
            name=line.name,
            unit=line.unit,
            quantity=line.quantity,
            price=line.price,
            position=position,
        )
        for position, line in enumerate(estimate)
    )


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
    _status_move(request=request, status=flow.statuses.CONFIRMED, author=user, notify=False)
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


def _mail_after_commit(number: str) -> None:
    # A broker that is away is logged, never turned into an error page after the request was saved.
    enqueue_after_commit("service.request_confirmed_email", number=number)


def _status_mail_after_commit(number: str, note: str) -> None:
    enqueue_after_commit("service.status_email", number=number, note=note)


def _act_after_commit(request) -> None:
    """The act of completed works is made by a worker once the move is committed; the sweep covers a lost one."""
    task = "service.repair_act" if isinstance(request, RepairRequest) else "service.installation_act"
    enqueue_after_commit(task, request_id=request.pk)
