"""Service tasks: thin, by number, safe to re-run."""

from celery import shared_task

from service.documents import installation_act_make, installation_acts_missing, repair_act_make, repair_acts_missing
from service.notices import service_notice_send, visits_tomorrow


# The names say «email» from before the notices app; the customer is told on the channel they chose.
@shared_task(name="service.request_confirmed_email", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def service_request_confirmed_email(*, number: str) -> bool:
    """Tell the customer that the request is confirmed, with its time and address."""
    return bool(service_notice_send(number=number, kind="confirmed"))


@shared_task(name="service.status_email", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def service_status_email(*, number: str, note: str = "") -> bool:
    """Tell the customer the request's new status."""
    return bool(service_notice_send(number=number, kind="status", note=note))


@shared_task(name="service.notice", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def service_notice_task(*, number: str, kind: str) -> bool:
    """Tell the customer about the request («departed», «reminder»); once per request and event."""
    return bool(service_notice_send(number=number, kind=kind))


@shared_task(name="service.visit_reminders", time_limit=600, soft_time_limit=540)
def service_visit_reminders_task() -> int:
    """Remind every customer whose visit is tomorrow; a second run the same day reminds nobody twice."""
    numbers = visits_tomorrow()
    for number in numbers:
        service_notice_task.delay(number=number, kind="reminder")
    return len(numbers)


@shared_task(
    name="service.installation_act",
    autoretry_for=(Exception,),
    retry_backoff=30,
    max_retries=5,
    time_limit=120,
    soft_time_limit=100,
)
def installation_act_task(*, request_id: int) -> str:
    """Make the act of completed works of a handed-over installation; re-running overwrites it."""
    return installation_act_make(request_id=request_id)


@shared_task(
    name="service.repair_act",
    autoretry_for=(Exception,),
    retry_backoff=30,
    max_retries=5,
    time_limit=120,
    soft_time_limit=100,
)
def repair_act_task(*, request_id: int) -> str:
    """Make the act of completed works of a paid repair that is ready; re-running overwrites it."""
    return repair_act_make(request_id=request_id)


# The beat schedule knows the sweep by its first name, from when only installations had acts.
@shared_task(name="service.installation_acts_sweep", time_limit=600, soft_time_limit=540)
def service_acts_sweep_task() -> int:
    """Make the acts of installations and paid repairs that a worker or broker outage left unmade."""
    installations, repairs = installation_acts_missing(), repair_acts_missing()
    for request_id in installations:
        installation_act_task.delay(request_id=request_id)
    for request_id in repairs:
        repair_act_task.delay(request_id=request_id)
    return len(installations) + len(repairs)


SLOTS_DAYS = 14


@shared_task(name="service.slots_generate", time_limit=600, soft_time_limit=540)
def service_slots_generate_task() -> int:
    """Make the slots of the next 14 days (nightly); existing slots and their bookings stay as they are."""
    from service.services import service_slots_generate

    return service_slots_generate(days=SLOTS_DAYS)
