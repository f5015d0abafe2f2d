"""Log lines you can follow: one JSON line a record, with the request id of the page and of the tasks it sent."""

import contextvars
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.tests.factories import UserFactory
from orders.tests.conftest import moscow_delivery, stocked_product  # noqa: F401 - fixtures
from orders.tests.factories import cart_of, place, seller
from payments.tests.factories import sandbox_card_paid
from shop.logging import (
    TASK_REQUEST_ID,
    TASK_USER_ID,
    JsonFormatter,
    RequestContextFilter,
    request_id_from,
    request_id_var,
    task_headers_add,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_lines():
    """The JSON lines the shop's console handler would write, read back as dicts."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.setLevel(previous)
    root.removeHandler(handler)


def test_the_console_handler_writes_json_with_the_request_context():
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(console.formatter, JsonFormatter)
    assert any(isinstance(f, RequestContextFilter) for f in console.filters)


@pytest.mark.parametrize(
    ("given", "kept"),
    [("abc-123_DEF.9", True), ("x" * 64, True), ("x" * 65, False), ("a b", False), ("a\nb", False), ("", False)],
)
def test_a_request_id_is_kept_only_when_it_is_a_short_plain_token(given, kept):
    made = request_id_from(given)
    assert (made == given) is kept
    if not kept:
        assert len(made) == 32 and int(made, 16) >= 0


@pytest.mark.django_db
def test_every_answer_carries_the_callers_request_id_or_a_new_one(client):
    assert client.get("/healthz/", HTTP_X_REQUEST_ID="lb-7f3a.42")["X-Request-ID"] == "lb-7f3a.42"
    made = client.get("/healthz/", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz/")["X-Request-ID"] != client.get("/healthz/")["X-Request-ID"]


def test_a_json_line_has_time_level_logger_ids_extra_fields_and_the_error(log_lines):
    token = request_id_var.set("req-1")
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("payments.services.refunds").exception(
                "refund %s failed", "R-1", extra={"order": "2026-000123", "amount": "10199.00"}
            )
    finally:
        request_id_var.reset(token)

    [line] = log_lines()
    assert line["time"].endswith("+00:00")
    assert {k: line[k] for k in ("level", "logger", "message", "request_id", "user_id", "order", "amount")} == {
        "level": "ERROR",
        "logger": "payments.services.refunds",
        "message": "refund R-1 failed",
        "request_id": "req-1",
        "user_id": None,
        "order": "2026-000123",
        "amount": "10199.00",
    }
    assert "ValueError: boom" in line["exc"]


@pytest.mark.django_db(transaction=True)
def test_one_request_id_follows_a_page_into_its_celery_task(client, moscow_delivery, stocked_product, log_lines):  # noqa: F811
    # Given a buyer's paid order
    seller()
    user = UserFactory()
    client.force_login(user)
    order = place(cart_of((stocked_product("5000.00", quantity=5), 2), user=user), moscow_delivery["point"], user=user)
    sandbox_card_paid(order, lambda action: action())

    before = len(log_lines())

    # When the buyer cancels it: the page records the refund, a Celery task has the bank make it
    response = client.post(f"/orders/{order.number}/cancel/", HTTP_X_REQUEST_ID="cancel-7")

    # Then the page's lines and the task's lines carry the page's request id and the buyer's id
    assert response.status_code == 302
    assert response["X-Request-ID"] == "cancel-7"
    lines = log_lines()[before:]
    page = [line for line in lines if "task" not in line and line.get("order") == order.number]
    task = [line for line in lines if line.get("task") == "payments.refund_execute"]
    assert [line["message"].split(" of ")[0] for line in page] == [f"refund {page[0]['refund']}"]
    assert page[0]["message"].endswith(f"for order {order.number} (cancel)")
    assert [line["message"].split(" RUB ")[1] for line in task if line.get("order")] == [
        f"for order {order.number} succeeded"
    ]
    assert {(line["request_id"], line["user_id"]) for line in page + task} == {("cancel-7", user.pk)}
    assert {line["level"] for line in page + task if line.get("order")} == {"WARNING"}


@pytest.mark.django_db
def test_a_task_sent_from_a_request_runs_under_its_request_id_in_another_context(log_lines):
    from celery import shared_task

    @shared_task(name="shop.tests.log_a_line")
    def log_a_line():
        logging.getLogger("shop.tests").warning("task line")

    # What before_task_publish adds to a message sent while a request runs...
    headers = {}
    contextvars.Context().run(lambda: (request_id_var.set("page-42"), task_headers_add(headers=headers)))
    assert headers == {TASK_REQUEST_ID: "page-42"}
    # ...is taken up by the worker, in a context of its own, and given back when the task ends.
    contextvars.Context().run(lambda: log_a_line.apply(headers={**headers, TASK_USER_ID: 7}))
    contextvars.Context().run(lambda: log_a_line.apply())

    first, second = [line for line in log_lines() if line["logger"] == "shop.tests"]
    assert (first["request_id"], first["user_id"], first["task"]) == ("page-42", 7, "shop.tests.log_a_line")
    assert second["request_id"] not in (None, "page-42")
    assert request_id_var.get() is None


@pytest.mark.redis
def test_a_celery_worker_writes_json_lines_under_the_request_id_of_the_sender(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings.local",
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "CELERY_RESULT_BACKEND": os.environ["REDIS_URL"],
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "shop", "worker", "--pool=solo", "--concurrency=1"]
    worker = subprocess.Popen(
        [*command, "--without-gossip", "--without-mingle", "--without-heartbeat", "--queues=logtest"],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    sender = (
        "import django; django.setup();"
        "from shop.celery import ping; from shop.logging import request_id_var;"
        "request_id_var.set('sent-from-page');"
        "print(ping.apply_async(queue='logtest').get(timeout=30))"
    )
    try:
        probe = subprocess.run(
            [sys.executable, "-c", sender], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert probe.stdout.strip() == "pong", probe.stderr + log.read_text()
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    done = [line for line in lines if line.get("task") == "shop.ping"]
    assert done, log.read_text()
    assert {line["request_id"] for line in done} == {"sent-from-page"}


def test_sentry_events_lose_emails_phones_cookies_and_addresses_but_keep_the_user_id():
    from shop.logging import FILTERED, sentry_scrub

    event = {
        "message": "order for ivanova@example.ru, +7 (916) 123-45-67, 8 916 123 45 67, total 10199.00, 2026-000123",
        "user": {"id": 42, "email": "ivanova@example.ru", "ip_address": "203.0.113.7", "username": "ivanova"},
        "request": {
            "url": "https://shop.example.ru/orders/2026-000123/",
            "query_string": "email=ivanova%40example.ru&phone=%2B79161234567",
            "cookies": {"sessionid": "abc"},
            "data": {"password": "secret"},
            "headers": {"Cookie": "sessionid=abc", "X-Forwarded-For": "203.0.113.7", "User-Agent": "Firefox"},
            "env": {"REMOTE_ADDR": "203.0.113.7"},
        },
        "exception": {"values": [{"stacktrace": {"frames": [{"vars": {"phone": "+79161234567", "n": "2"}}]}}]},
        "breadcrumbs": {"values": [{"message": "login by petrov@example.ru"}]},
    }

    scrubbed = sentry_scrub(event, {})

    assert scrubbed["user"] == {"id": 42}
    assert scrubbed["message"] == f"order for {FILTERED}, {FILTERED}, {FILTERED}, total 10199.00, 2026-000123"
    request = scrubbed["request"]
    assert "cookies" not in request and "data" not in request
    assert request["headers"] == {"Cookie": FILTERED, "X-Forwarded-For": FILTERED, "User-Agent": "Firefox"}
    assert request["env"] == {"REMOTE_ADDR": FILTERED}
    assert request["query_string"] == f"email={FILTERED}&phone={FILTERED}"
    assert request["url"] == "https://shop.example.ru/orders/2026-000123/"
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"] == {"phone": FILTERED, "n": "2"}
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == f"login by {FILTERED}"
    assert "ivanova" not in json.dumps(scrubbed) and "203.0.113.7" not in json.dumps(scrubbed)


def test_sentry_starts_with_the_django_celery_and_redis_integrations_when_a_dsn_is_set():
    code = (
        "import django; django.setup(); import sentry_sdk;"
        "client = sentry_sdk.get_client();"
        "print({'celery', 'django', 'redis'} <= set(client.integrations), client.options['send_default_pii'],"
        " client.options['before_send'].__name__)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.local", "SENTRY_DSN": "https://key@sentry.invalid/1"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "False", "sentry_scrub"], result.stderr
