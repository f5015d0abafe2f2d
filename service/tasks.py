"""Service tasks: thin, by number, safe to re-run."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

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
