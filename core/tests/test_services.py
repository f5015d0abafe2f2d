import pytest

from accounts.tests.factories import UserFactory
from core.models import StaffDownload
from core.services import staff_download_record

pytestmark = pytest.mark.django_db


def test_staff_download_record_keeps_who_what_and_where():
    manager = UserFactory(is_staff=True)

    staff_download_record(user=manager, what="Акт U-000012", path="/service/requests/U-000012/act.pdf")

    record = StaffDownload.objects.get()
    assert (record.user, record.what, record.path) == (manager, "Акт U-000012", "/service/requests/U-000012/act.pdf")
    assert record.created_at is not None


def test_the_staff_download_list_in_admin_is_read_only(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    staff_download_record(user=admin_user, what="Акт U-000012", path="/service/requests/U-000012/act.pdf")
    client.force_login(admin_user)

    listing = client.get("/admin/core/staffdownload/")
    change = client.get(f"/admin/core/staffdownload/{StaffDownload.objects.get().pk}/change/")

    assert listing.status_code == 200 and "Акт U-000012" in listing.content.decode()
    assert client.get("/admin/core/staffdownload/add/").status_code == 403
    assert change.status_code == 200 and 'name="what"' not in change.content.decode()
