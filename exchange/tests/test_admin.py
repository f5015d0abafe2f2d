import pytest

from accounts.tests.factories import UserFactory
from exchange.models import ExchangeEntry, ExchangeSession

pytestmark = pytest.mark.django_db


def test_the_admin_lists_exchanges_with_their_files_steps_and_errors(client, one_c):
    one_c.checkauth()
    one_c.call("catalog", "init")
    one_c.send("catalog", "import.xml", b"<broken")
    one_c.call("catalog", "import", filename="import.xml")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    session = ExchangeSession.objects.get()

    index = client.get("/admin/").content.decode()
    listing = client.get("/admin/exchange/exchangesession/")
    detail = client.get(f"/admin/exchange/exchangesession/{session.pk}/change/").content.decode()

    assert "Обмены с 1С" in index
    assert listing.status_code == 200
    assert "import.xml" in detail
    error = ExchangeEntry.objects.get(is_error=True)
    assert error.line == 1
    assert "XML не читается" in detail
