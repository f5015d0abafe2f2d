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


def test_making_another_price_type_retail_gives_the_products_its_prices(client, one_c):
    from decimal import Decimal

    from catalog.models import Product
    from exchange.models import PriceType
    from exchange.tests.test_import import CML204

    one_c.unload(CML204)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    wholesale = PriceType.objects.get(name="Оптовая")

    response = client.post(
        "/admin/exchange/pricetype/", {"action": "make_retail", "_selected_action": [wholesale.pk]}, follow=True
    )

    assert "цен изменено: 1" in response.content.decode()
    assert list(PriceType.objects.filter(is_retail=True).values_list("name", flat=True)) == ["Оптовая"]
    assert Product.objects.get(external_id="good-cam-1").price == Decimal("11500.50")
    assert Product.objects.get(external_id="good-mount").price == Decimal("2500.00")


def test_making_another_price_type_retail_shows_its_price_on_the_next_request(
    client, one_c, settings, django_capture_on_commit_callbacks
):
    from exchange.models import PriceType
    from exchange.tests.test_import import camera_pages_cached

    shopper, pages = camera_pages_cached(one_c, settings)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    wholesale = PriceType.objects.get(name="Оптовая")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/exchange/pricetype/", {"action": "make_retail", "_selected_action": [wholesale.pk]})

    for url in pages:
        html = shopper.get(url).content.decode()
        assert "11\xa0500,50\xa0₽" in html, url
        assert "12\xa0990\xa0₽" not in html, url
