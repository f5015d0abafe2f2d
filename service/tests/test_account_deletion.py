"""Deleting an account clears the person from their repair and installation requests, files and acts included."""

import pytest
from django.core.files.base import ContentFile

from accounts.services import account_delete
from accounts.tests.factories import UserFactory
from accounts.tests.test_account_deletion import _every_stored_value
from orders.tests.factories import seller
from service.documents import installation_acts_missing, repair_acts_missing
from service.models import InstallationStatus, RepairAttachment, RepairStatus
from service.tests.factories import InstallationRequestFactory, RepairRequestFactory

pytestmark = pytest.mark.django_db

PERSONAL = ["Уникальнова", "+79265550199", "Лихачёвский", "домофон 42", "соседка Зинаида"]


def test_a_deleted_customers_requests_keep_no_contact_address_words_files_or_acts():
    seller()
    user = UserFactory(last_name="Уникальнова")
    where = {"address": "Долгопрудный, Лихачёвский проезд, 9", "access_notes": "домофон 42"}
    contact = {"contact_name": "Уникальнова Ираида", "contact_phone": "+79265550199"}
    repair = RepairRequestFactory(
        user=user, status=RepairStatus.READY, description="звонить через соседка Зинаида", **where, **contact
    )
    repair.act.save("act.pdf", ContentFile("%PDF-1.4 Уникальнова".encode()), save=True)
    attachment = RepairAttachment(
        request=repair, original_name="photo.jpg", kind="image", content_type="image/jpeg", size=3
    )
    attachment.file.save("photo.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    installation = InstallationRequestFactory(user=user, status=InstallationStatus.HANDED_OVER, **where, **contact)
    installation.act.save("act.pdf", ContentFile("%PDF-1.4 Уникальнова".encode()), save=True)
    files = [
        (attachment.file.storage, attachment.file.name),
        (installation.act.storage, installation.act.name),
        (repair.act.storage, repair.act.name),
    ]
    assert all(storage.exists(name) for storage, name in files)
    assert any(v in value for _, value in _every_stored_value() for v in PERSONAL)  # the check can see them

    account_delete(user=user)

    leaks = [(table, value) for table, value in _every_stored_value() for v in PERSONAL if v in value]
    assert leaks == []
    assert not any(storage.exists(name) for storage, name in files)
    assert not RepairAttachment.objects.exists()
    installation.refresh_from_db()
    assert (installation.act.name, installation.status) == ("", InstallationStatus.HANDED_OVER)
    assert installation_acts_missing() == []
    repair.refresh_from_db()
    assert (repair.act.name, repair.status, repair.act_made_at is not None) == ("", RepairStatus.READY, True)
    assert repair_acts_missing() == []
