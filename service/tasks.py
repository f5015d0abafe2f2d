"""Service tasks: thin, by number, safe to re-run."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from service.documents import installation_act_make, installation_acts_missing
from service.models import InstallationRequest, RepairRequest


@shared_task(name="service.request_confirmed_email", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def service_request_confirmed_email(*, number: str) -> bool:
    """Mail the customer that the request is confirmed, with its time and address."""
    model = RepairRequest if number.startswith("R-") else InstallationRequest
    request = (
        model.objects.select_related("user", "slot__technician", "slot__centre", "slot__crew")
        .filter(number=number)
        .first()
    )
    if request is None or not request.user.email:
        return False
    context = {"request": request, "shop_name": settings.SHOP_NAME, "shop_domain": settings.SHOP_DOMAIN}
    send_mail(
        subject=f"Заявка {request.number} подтверждена",
        message=render_to_string("service/email/request_confirmed.txt", context),
        from_email=None,
        recipient_list=[request.user.email],
    )
    return True


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


@shared_task(name="service.installation_acts_sweep", time_limit=600, soft_time_limit=540)
def installation_acts_sweep_task() -> int:
    """Make the acts that a worker or broker outage left unmade."""
    missing = installation_acts_missing()
    for request_id in missing:
        installation_act_task.delay(request_id=request_id)
    return len(missing)
