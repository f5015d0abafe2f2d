"""YooKassa's faults and notifications: errors, silences and refusals become ProviderError; a notification is
believed only as the API reads it back."""

import json
import re
import socket
import threading
import uuid
from decimal import Decimal

import pytest
from werkzeug import Response

from payments.providers.base import Notification, NotificationRejected, ProviderError
from payments.providers.yookassa import YooKassaProvider, derived_key
from payments.tests.yookassa_fakes import (
    YOO_ID,
    held,
    refund_of,
    yoo_payment,
    yoo_refund,
)

pytestmark = pytest.mark.django_db


def test_a_server_error_is_a_provider_error(yookassa, order):
    yookassa.expect_request(f"/v3/payments/{YOO_ID}/capture", method="POST").respond_with_json(
        {"type": "error", "code": "internal_server_error"}, status=500
    )

    with pytest.raises(ProviderError):
        YooKassaProvider().capture(payment=held(order))


@pytest.fixture
def silent_yookassa(yookassa, settings):
    """YooKassa that takes every request and never answers while the test runs."""
    settings.PAYMENT_PROVIDER_TIMEOUT = 0.3
    released = threading.Event()

    def silent(request):
        released.wait(10)
        return Response("{}", status=504)

    yookassa.expect_request(re.compile("/v3/.*")).respond_with_handler(silent)
    yield yookassa
    released.set()


@pytest.mark.parametrize("call", ["create", "fetch", "capture", "cancel", "refund", "settle"])
def test_a_silent_server_is_a_provider_error(silent_yookassa, two_line_order, call):
    payment = held(two_line_order)
    provider = YooKassaProvider()
    calls = {
        "create": lambda: provider.create(payment=payment, return_url="http://testserver/"),
        "fetch": lambda: provider.fetch(payment=payment),
        "capture": lambda: provider.capture(payment=payment),
        "cancel": lambda: provider.cancel(payment=payment),
        "refund": lambda: provider.refund(refund=refund_of(payment, amount="17199.00")),
        "settle": lambda: provider.settle(payment=payment),
    }

    with pytest.raises(ProviderError):
        calls[call]()


def test_an_unreachable_server_is_a_provider_error(yookassa, settings, order):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.YOOKASSA_API_URL = f"http://127.0.0.1:{port}/v3"

    with pytest.raises(ProviderError):
        YooKassaProvider().fetch(payment=held(order))


def event(name: str, obj: dict) -> bytes:
    return json.dumps({"type": "notification", "event": name, "object": obj}).encode()


def test_verify_believes_the_api_not_the_body(yookassa):
    yookassa.expect_request(f"/v3/payments/{YOO_ID}", method="GET").respond_with_json(
        yoo_payment("waiting_for_capture", amount="15199.00", external_id=YOO_ID)
    )

    forged = event("payment.succeeded", yoo_payment("succeeded", amount="1.00", external_id=YOO_ID))
    notification = YooKassaProvider().verify(body=forged, headers={})

    assert notification == Notification(
        external_id=YOO_ID, status="waiting_for_capture", amount=Decimal("15199.00"), currency="RUB"
    )


def test_verify_reports_a_refund_event_as_the_refund_the_api_knows(yookassa):
    yookassa.expect_request("/v3/refunds/2f3a-refund-1", method="GET").respond_with_json(
        yoo_refund("canceled", "1000.00", reason="rejected_by_payee")
    )

    notification = YooKassaProvider().verify(body=event("refund.succeeded", yoo_refund()), headers={})

    assert notification == Notification(
        external_id="2f3a-refund-1",
        status="failed",
        amount=Decimal("1000.00"),
        currency="RUB",
        reason="rejected_by_payee",
        kind="refund",
    )


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b"{}",
        json.dumps({"event": "payment.succeeded"}).encode(),
        json.dumps({"event": "payment.succeeded", "object": {"id": 42}}).encode(),
        json.dumps({"event": "payout.succeeded", "object": {"id": "po-1"}}).encode(),
    ],
)
def test_verify_rejects_a_malformed_body_without_asking_the_api(yookassa, body):
    with pytest.raises(NotificationRejected):
        YooKassaProvider().verify(body=body, headers={})
    assert yookassa.log == []


def test_verify_rejects_what_the_api_does_not_know(yookassa):
    yookassa.expect_request("/v3/payments/forged", method="GET").respond_with_json(
        {"type": "error", "code": "not_found"}, status=404
    )

    with pytest.raises(NotificationRejected):
        YooKassaProvider().verify(body=event("payment.succeeded", yoo_payment(external_id="forged")), headers={})


def test_verify_rejects_when_the_api_is_silent(silent_yookassa):
    with pytest.raises(NotificationRejected):
        YooKassaProvider().verify(
            body=event("payment.canceled", yoo_payment("canceled", external_id=YOO_ID)), headers={}
        )


def test_derived_keys_are_uuids_that_depend_on_the_payment_key():
    key = uuid.uuid4()

    assert derived_key(key, "settle") == derived_key(str(key), "settle")
    assert derived_key(key, "settle") != derived_key(uuid.uuid4(), "settle")
    assert uuid.UUID(derived_key(key, "settle")).version == 5
