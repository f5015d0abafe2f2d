"""What a service request's customer is told (confirmed with the slot, a reminder the day before, «мастер
выехал», estimate awaiting approval, work done with the act, every other status), through the notices app on the
channel the customer chose; and the shop's staff chat about every new request."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from core.emails import absolute_url, email_render, email_send
from core.jobs import enqueue_after_commit
from notices.models import Event, Kind
from notices.services import Message, Recipient, notice_send, notice_text, staff_notice_send
from service.models import InstallationRequest, InstallationStatus, RepairRequest, RepairStatus, WarrantyStatus

CONFIRMED_SUBJECT = "Заявка {number} подтверждена"
STATUS_SUBJECT = "Заявка {number}: {status}"
REMINDER_SUBJECT = "Заявка {number}: завтра визит"
DEPARTED_SUBJECT = "Заявка {number}: мастер выехал"
# The statuses that have words of their own; any other move is «заявка … — <status>».
STATUS_EVENTS = {
    RepairStatus.AWAITING_APPROVAL: Event.SERVICE_ESTIMATE,
    RepairStatus.READY: Event.SERVICE_DONE,
    InstallationStatus.HANDED_OVER: Event.SERVICE_DONE,
}
# The visit the reminder names, by the slot's kind.
VISITS = {
    "visit": "выезд техника",
    "intake": "приём в сервис-центре",
    "courier": "курьер заберёт устройство",
    "install": "монтаж",
}
# A visit ahead in these statuses is still going to happen.
REMINDED = {
    RepairRequest: [RepairStatus.CONFIRMED],
    InstallationRequest: [InstallationStatus.CONFIRMED, InstallationStatus.SURVEY, InstallationStatus.INSTALLING],
}


def _request(number: str):
    model = RepairRequest if number.startswith("R-") else InstallationRequest
    return (
        model.objects.select_related("user", "slot__technician", "slot__centre", "slot__crew")
        .filter(number=number)
        .first()
    )


def _email_context(request, *, subject: str, note: str) -> dict:
    return {
        "request": request,
        "status": request.get_status_display(),
        "note": note,
        "request_url": absolute_url(request.get_absolute_url()),
        "name": request.contact_name,
        "subject": subject,
        "shop_domain": settings.SHOP_DOMAIN,
    }


def _customer_email(request) -> str:
    email = request.user.email or ""
    return "" if email.endswith(".invalid") else email


def service_email_send(*, number: str, kind: str, note: str = "") -> int:
    """Mail the customer that the request is confirmed («confirmed») or moved to its current status («status»)."""
    request = _request(number)
    if request is None or not _customer_email(request):
        return 0
    status = request.get_status_display()
    subject = (CONFIRMED_SUBJECT if kind == "confirmed" else STATUS_SUBJECT).format(
        number=request.number, status=status
    )
    context = _email_context(request, subject=subject, note=note)
    return email_send(to=request.user.email, subject=subject, template=f"service_{kind}", context=context)


def _when(request) -> str:
    if request.slot_id is None:
        return ""
    return date_format(timezone.localtime(request.slot.starts_at), "j E в H:i")


def service_notice_send(*, number: str, kind: str, note: str = "") -> int:
    """Tell the customer about the request: «confirmed», «status» (its current one), «reminder» or «departed»;
    once per request and event. A confirmed (new) request is told to the staff chat too."""
    request = _request(number)
    if request is None:
        return 0
    status = request.get_status_display()
    if kind == "confirmed":
        event, subject, template, key = Event.SERVICE_CONFIRMED, CONFIRMED_SUBJECT, "service_confirmed", "confirmed"
    elif kind == "reminder":
        event, subject, template = Event.SERVICE_REMINDER, REMINDER_SUBJECT, "service_reminder"
        key = f"reminder:{request.slot.starts_at:%Y%m%d%H%M}"
    elif kind == "departed":
        event, subject, template = Event.SERVICE_DEPARTED, DEPARTED_SUBJECT, "service_departed"
        key = f"departed:{timezone.localdate():%Y%m%d}"
    else:
        event, subject, template = (
            STATUS_EVENTS.get(request.status, Event.SERVICE_STATUS),
            STATUS_SUBJECT,
            "service_status",
        )
        key = f"status:{request.status}"
    subject = subject.format(number=request.number, status=status)
    context = {
        "number": request.number,
        "when": _when(request),
        "visit": VISITS.get(request.slot.kind, "визит") if request.slot_id else "визит",
        "status": status.lower(),
        "url": absolute_url(request.get_absolute_url()),
        # A warranty repair has no act of completed works; a paid repair and an installation have.
        "act": not (isinstance(request, RepairRequest) and request.warranty == WarrantyStatus.WARRANTY),
    }
    text = notice_text(event=event, context=context)
    email = _customer_email(request)
    email_text, email_html = ("", "")
    if email:
        letter = {
            **_email_context(request, subject=subject, note=note),
            "when": context["when"],
            "visit": context["visit"],
        }
        email_text, email_html = email_render(template=template, context=letter)
    notice = notice_send(
        key=f"service:{request.number}:{key}",
        event=event,
        kind=Kind.SERVICE,
        recipient=Recipient(
            user_id=request.user_id, email=email, phone=request.contact_phone or request.user.phone or ""
        ),
        message=Message(text=text, subject=subject, email_text=email_text, email_html=email_html),
        target=request,
        # The customer set the visit's time: its reminder goes even in the quiet hours.
        urgent=kind == "reminder",
    )
    if kind == "confirmed":
        service_staff_notice_send(request=request)
    return 0 if notice is None else 1


def service_staff_notice_send(*, request) -> None:
    """Tell the shop's staff chat about a new request, with its page in the admin."""
    meta = type(request)._meta
    text = notice_text(
        event=Event.STAFF_SERVICE,
        context={
            "number": request.number,
            "what": meta.verbose_name,
            "when": _when(request),
            "name": request.contact_name,
            "phone": request.contact_phone,
            "url": absolute_url(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[request.pk])),
        },
    )
    staff_notice_send(key=f"service:{request.number}:staff", event=Event.STAFF_SERVICE, text=text, target=request)


def visits_tomorrow() -> list[str]:
    """The numbers of requests whose visit is tomorrow (Moscow time) and still going to happen."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    numbers = []
    for model, statuses in REMINDED.items():
        numbers += model.objects.filter(slot__starts_at__date=tomorrow, status__in=statuses).values_list(
            "number", flat=True
        )
    return sorted(numbers)


def service_departed_announce(*, numbers: list[str]) -> None:
    """Tell the customers of these requests that the technician or crew is on the way, once the action commits."""
    for number in numbers:
        enqueue_after_commit("service.notice", number=number, kind="departed")
