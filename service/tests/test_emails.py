"""The service's emails: confirmed and every status move, with absolute links and the shop's name."""

import re

import pytest
from django.core import mail

from service.models import RepairStatus
from service.notices import service_email_send
from service.services.status import repair_request_set_status
from service.tests.factories import RepairRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SHOP_DOMAIN = "shop.example.ru"
    settings.SHOP_URL_SCHEME = "https"


@pytest.mark.parametrize("kind", ["confirmed", "status"])
def test_each_service_email_has_absolute_links_and_the_shop(kind):
    request = RepairRequestFactory(status=RepairStatus.CONFIRMED)

    assert service_email_send(number=request.number, kind=kind, note="Привезите зарядное устройство") == 1

    [message] = mail.outbox
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert f"https://shop.example.ru/service/requests/{request.number}/" in body
        assert all(href.startswith("https://") for href in re.findall(r'href="([^"]+)"', body))
        assert "Охрана Плюс" in body
    if kind == "status":
        assert message.subject == f"Заявка {request.number}: Подтверждена"
        assert "Привезите зарядное устройство" in message.body


def test_a_status_move_by_staff_mails_the_customer_after_commit(django_capture_on_commit_callbacks):
    request = RepairRequestFactory(status=RepairStatus.CONFIRMED)

    with django_capture_on_commit_callbacks(execute=True):
        repair_request_set_status(request=request, status=RepairStatus.DIAGNOSTICS, note="Приняли в центре")

    [message] = mail.outbox
    assert message.subject == f"Заявка {request.number}: {RepairStatus.DIAGNOSTICS.label}"
    assert "Приняли в центре" in message.body
