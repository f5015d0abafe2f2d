"""A deleted account's person leaves the service requests: contacts, address, their words and files go."""

from django.db import transaction
from django.utils import timezone

from service.models import InstallationRequest, RepairAttachment, RepairRequest

CLEARED = {"address": "", "access_notes": "", "contact_name": "", "contact_phone": ""}


@transaction.atomic
def service_requests_personal_data_erase(*, user) -> int:
    """Clear the person's contacts, address and free text from their requests, delete their files and acts, and
    mark the acts as made so the sweep never makes them again. The number of requests."""
    repairs = list(RepairRequest.objects.select_for_update().filter(user=user).only("pk", "act"))
    repair_ids = [repair.pk for repair in repairs]
    for repair in repairs:
        if repair.act:
            repair.act.delete(save=False)
    RepairRequest.objects.filter(pk__in=repair_ids).update(**CLEARED, description="", act="")
    RepairRequest.objects.filter(pk__in=repair_ids, act_made_at__isnull=True).update(act_made_at=timezone.now())
    for attachment in RepairAttachment.objects.filter(request_id__in=repair_ids):
        attachment.file.delete(save=False)
        attachment.delete()
    installations = list(InstallationRequest.objects.select_for_update().filter(user=user))
    for installation in installations:
        if installation.act:
            installation.act.delete(save=False)
    InstallationRequest.objects.filter(pk__in=[i.pk for i in installations]).update(
        **CLEARED, access_mode="", own_equipment="", act=""
    )
    InstallationRequest.objects.filter(pk__in=[i.pk for i in installations], act_made_at__isnull=True).update(
        act_made_at=timezone.now()
    )
    return len(repair_ids) + len(installations)
