"""The emails a service request's customer gets: confirmed, and every move of its status."""

from django.conf import settings

from core.emails import absolute_url, email_send
from service.models import InstallationRequest, RepairRequest

CONFIRMED_SUBJECT = "Заявка {number} подтверждена"
STATUS_SUBJECT = "Заявка {number}: {status}"


def _request(number: str):
    model = RepairRequest if number.startswith("R-") else InstallationRequest
    return (
        model.objects.select_related("user", "slot__technician", "slot__centre", "slot__crew")
        .filter(number=number)
        .first()
    )


def service_email_send(*, number: str, kind: str, note: str = "") -> int:
    """Mail the customer that the request is confirmed («confirmed») or moved to its current status («status»)."""
    request = _request(number)
    if request is None or not request.user.email or request.user.email.endswith(".invalid"):
        return 0
    status = request.get_status_display()
    subject = (CONFIRMED_SUBJECT if kind == "confirmed" else STATUS_SUBJECT).format(
        number=request.number, status=status
    )
    context = {
        "request": request,
        "status": status,
        "note": note,
        "request_url": absolute_url(request.get_absolute_url()),
        "name": request.contact_name,
        "subject": subject,
        "shop_domain": settings.SHOP_DOMAIN,
    }
    return email_send(to=request.user.email, subject=subject, template=f"service_{kind}", context=context)
