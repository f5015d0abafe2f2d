"""A provider that is off has no pages and no webhook; the sandbox says so on every page while it is on."""

import pytest

from payments.models import PaymentStatus
from payments.providers.sandbox import SIGNATURE_HEADER, TIMESTAMP_HEADER, sandbox_callback
from payments.services import payment_start

pytestmark = pytest.mark.django_db

BANNER = "Тестовый режим оплаты"


@pytest.fixture
def payment(order):
    return payment_start(order=order, return_url="http://testserver/")


def test_the_yookassa_webhook_is_404_without_yookassa_keys(client, settings):
    settings.YOOKASSA_SHOP_ID = ""
    settings.YOOKASSA_SECRET_KEY = ""
    response = client.post("/payments/webhook/yookassa/", data="{}", content_type="application/json")
    assert response.status_code == 404


def test_the_yookassa_webhook_answers_with_its_keys(client, yookassa):
    response = client.post("/payments/webhook/yookassa/", data="{}", content_type="application/json")
    assert response.status_code == 200


def test_the_sandbox_page_and_webhook_are_404_unless_the_sandbox_is_allowed(client, settings, payment):
    body, headers = sandbox_callback(
        external_id=payment.external_id, status="succeeded", amount=payment.amount, currency=payment.currency
    )
    settings.PAYMENT_SANDBOX_ALLOWED = False

    assert client.get(f"/payments/sandbox/{payment.external_id}/").status_code == 404
    response = client.post(
        "/payments/webhook/sandbox/",
        data=body,
        content_type="application/json",
        headers={"x-sandbox-timestamp": headers[TIMESTAMP_HEADER], "x-sandbox-signature": headers[SIGNATURE_HEADER]},
    )
    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


@pytest.mark.parametrize(("allowed", "shown"), [(True, True), (False, False)])
def test_every_page_says_test_payments_while_the_sandbox_is_allowed(client, settings, allowed, shown):
    settings.PAYMENT_SANDBOX_ALLOWED = allowed
    for url in ("/", "/catalog/", "/cart/", "/accounts/login/", "/no-such-page/"):
        assert (BANNER in client.get(url).content.decode()) is shown, url


def test_the_banner_is_part_of_the_cached_page_the_same_for_everybody(client, settings):
    from accounts.tests.factories import UserFactory

    settings.PAGE_CACHE_SECONDS = 60
    settings.PAYMENT_SANDBOX_ALLOWED = True
    assert BANNER in client.get("/catalog/").content.decode()
    client.force_login(UserFactory())
    assert BANNER in client.get("/catalog/").content.decode()
