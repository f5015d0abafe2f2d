"""Faults with real processes: a redis-server frozen with SIGSTOP or killed under the money path, a PostgreSQL
database the shop can no longer reach, a payment API that accepts and never answers. Every request gets an answer
within the client's bound, never a 500; what the broker missed the sweep makes later.

No timings are asserted: the client timeout of each request is a bound on a hang, not a measurement.
"""

import logging
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from importlib import import_module
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings

from catalog.models import Category
from catalog.tests.factories import ProductFactory
from orders.models import DocumentKind, Order, OrderStatus
from orders.selectors import SESSION_ORDERS_KEY
from orders.tests.conftest import moscow_delivery, stocked_product  # noqa: F401 - fixtures
from orders.tests.factories import cart_of, pickup_data, place, seller
from payments.models import Payment, PaymentStatus
from shop.tests.test_faults import FrozenRedis, broker  # noqa: F401 - fixture
from shop.tests.test_redis_outage import own_redis  # noqa: F401 - fixture

BOUND = 15  # seconds a request may take before the test calls it a hang
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROOT = Path(__file__).resolve().parents[2]


def _visitor(live_server, session_data: dict) -> requests.Session:
    """A browser-like client whose session (in the database) holds `session_data`."""
    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store.update(session_data)
    store.create()
    visitor = requests.Session()
    visitor.cookies.set(django_settings.SESSION_COOKIE_NAME, store.session_key)
    return visitor


def _post_form(visitor, url: str, page: str, data: dict) -> requests.Response:
    """POST a form found on `page` (its CSRF token taken from there), without following the redirect."""
    answer = visitor.get(page, timeout=BOUND)
    assert answer.status_code == 200, (page, answer.status_code)
    token = TOKEN.search(answer.text).group(1)
    return visitor.post(
        url,
        data={**data, "csrfmiddlewaretoken": token},
        headers={"Referer": page},
        timeout=BOUND,
        allow_redirects=False,
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fault", ["frozen", "stopped"])
def test_an_order_is_placed_and_paid_by_card_with_redis_frozen_or_stopped_and_the_sweep_makes_its_documents(
    fault,
    live_server,
    own_redis,  # noqa: F811
    broker,  # noqa: F811
    moscow_delivery,  # noqa: F811
    stocked_product,  # noqa: F811
    monkeypatch,
    caplog,
):
    from cart.tests.factories import CartFactory, CartLineFactory
    from shop.celery import app

    broker(own_redis.url(0))
    seller()
    camera = stocked_product("5000.00", quantity=3, product__name="Камера IP-2")
    visitor = _visitor(live_server, {"checkout": pickup_data(moscow_delivery["point"])})
    session_key = visitor.cookies[django_settings.SESSION_COOKIE_NAME]
    CartLineFactory(cart=CartFactory(session_key=session_key), product=camera, quantity=1)
    base = live_server.url

    own_redis.freeze() if fault == "frozen" else own_redis.stop()
    with caplog.at_level(logging.ERROR, logger="core.jobs"):
        checkout = f"{base}/checkout/payment/"
        placed = _post_form(visitor, checkout, checkout, {"payment_method": "card"})
        assert placed.status_code == 302, placed.status_code
        order = Order.objects.get()
        assert placed.headers["Location"] == f"/orders/{order.number}/"
        order_page = f"{base}/orders/{order.number}/"
        started = _post_form(visitor, f"{base}/payments/start/{order.number}/", order_page, {})
        assert started.status_code == 302, started.status_code
        payment = Payment.objects.get(order=order)
        assert started.headers["Location"] == f"/payments/sandbox/{payment.external_id}/"
        sandbox = f"{base}{started.headers['Location']}"
        paid = _post_form(visitor, sandbox, sandbox, {"number": "4111 1111 1111 1111", "expiry": "12/30", "cvc": "123"})
        assert paid.status_code == 302, paid.status_code
        assert paid.headers["Location"] == f"/payments/return/{payment.public_id}/"
        back = visitor.get(f"{base}{paid.headers['Location']}", timeout=BOUND)
        assert back.status_code == 200
        assert "Оплата прошла" in back.text

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    # The documents' task could not be sent: the order stays flagged for the sweep, and nothing is made yet.
    assert order.documents_due is True
    assert not order.documents.exists()
    failures = [r.getMessage() for r in caplog.records if r.getMessage().startswith("could not enqueue")]
    assert any("orders.documents" in message for message in failures), failures

    if fault == "frozen":
        own_redis.thaw()
    from orders.tasks import order_documents_sweep_task

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    # apply(), not delay().get(): a request thread may still be inside an eager send, which Celery flags globally.
    assert order_documents_sweep_task.apply().result == 1
    order.refresh_from_db()
    assert order.documents_due is False
    assert set(order.documents.values_list("kind", flat=True)) == {DocumentKind.RECEIPT, DocumentKind.WARRANTY}


@pytest.mark.django_db(transaction=True)
def test_a_payment_api_that_accepts_and_never_answers_sends_the_buyer_back_to_the_order(
    live_server,
    settings,
    moscow_delivery,  # noqa: F811
    stocked_product,  # noqa: F811
):
    api = FrozenRedis()
    settings.YOOKASSA_SHOP_ID = "123456"
    settings.YOOKASSA_SECRET_KEY = "test_secret"
    settings.YOOKASSA_API_URL = f"http://127.0.0.1:{api.port}/v3"
    settings.PAYMENT_PROVIDER_TIMEOUT = 1.0
    seller()
    order = place(cart_of((stocked_product("5000.00", quantity=3), 1)), moscow_delivery["point"])
    visitor = _visitor(live_server, {SESSION_ORDERS_KEY: [order.number]})
    order_page = f"{live_server.url}/orders/{order.number}/"
    try:
        answers = [
            _post_form(visitor, f"{live_server.url}/payments/start/{order.number}/", order_page, {}) for _ in range(2)
        ]
        # The listener's thread takes each connection in its own time: wait (bounded) for the two.
        for _ in range(200):
            if len(api.accepted) >= 2:
                break
            time.sleep(0.05)
    finally:
        api.close()

    for answer in answers:
        assert answer.status_code == 302
        assert answer.headers["Location"] == f"/orders/{order.number}/"
    # One pending payment whatever the retries, each try one call to the API that never answered.
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.PENDING
    assert len(api.accepted) == 2
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


class ClonedDatabase:
    """A database of its own on the suite's PostgreSQL server, copied from the test database: the shop in a
    subprocess uses it, and the test makes it unreachable (connections refused and cut) and reachable again."""

    def __init__(self, settings_dict: dict):
        import psycopg

        self.settings = settings_dict
        self.name = f"shop_fault_{uuid.uuid4().hex[:10]}"
        self.admin = psycopg.connect(
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"],
            password=settings_dict["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )

    def _sql(self, statement: str, *names: str) -> None:
        from psycopg import sql

        self.admin.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))

    def _cut(self, name: str) -> None:
        self.admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )

    def create(self) -> None:
        template = self.settings["NAME"]
        self._cut(template)
        self._sql("CREATE DATABASE {} TEMPLATE {}", self.name, template)

    def url(self) -> str:
        s = self.settings
        password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
        return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{self.name}"

    def stop(self) -> None:
        self._sql("ALTER DATABASE {} ALLOW_CONNECTIONS false", self.name)
        self._cut(self.name)

    def start(self) -> None:
        self._sql("ALTER DATABASE {} ALLOW_CONNECTIONS true", self.name)

    def drop(self) -> None:
        self._sql("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)
        self.admin.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def shop_on_its_own_database(tmp_path):
    """`manage.py runserver` in a subprocess on a copy of the test database, with a page cache in its memory."""
    from django.db import connection, connections

    database = ClonedDatabase(dict(connection.settings_dict))
    connections.close_all()
    database.create()
    (tmp_path / "fault_settings.py").write_text(
        "from shop.settings.test import *  # noqa: F403\n\nPAGE_CACHE_SECONDS = 60\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CACHE_REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "fault_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DATABASE_URL": database.url(),
        "TMPDIR": str(tmp_path),
    }
    port = _free_port()
    log = (tmp_path / "runserver.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            assert server.poll() is None, (tmp_path / "runserver.log").read_text()
            try:
                requests.get(f"{base}/healthz/", timeout=BOUND)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("runserver did not start: " + (tmp_path / "runserver.log").read_text())
        yield base, database
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
        database.drop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_its_database_unreachable_the_shop_answers_cached_pages_and_its_503_never_a_500(request):
    category = Category.objects.get(slug="videonablyudenie")
    product = ProductFactory(name="Камера Hikvision DS-2CD1043", category=category)
    base, database = request.getfixturevalue("shop_on_its_own_database")

    assert requests.get(f"{base}/healthz/", timeout=BOUND).status_code == 200
    # A visitor without a session, twice: the home page is in the page cache now.
    for _ in range(2):
        assert requests.get(f"{base}/", timeout=BOUND).status_code == 200

    database.stop()
    home = requests.get(f"{base}/", timeout=BOUND)
    assert home.status_code == 200
    for path in (product.get_absolute_url(), f"{category.get_absolute_url()}?sort=price"):
        answer = requests.get(f"{base}{path}", timeout=BOUND)
        assert answer.status_code == 503, (path, answer.status_code)
        assert answer.headers["Retry-After"] == "60"
        assert "Магазин временно недоступен" in answer.text
    health = requests.get(f"{base}/healthz/", timeout=BOUND)
    assert health.status_code == 503
    assert health.json()["database"] == "error"

    database.start()
    assert requests.get(f"{base}/healthz/", timeout=BOUND).status_code == 200
    assert requests.get(f"{base}{product.get_absolute_url()}", timeout=BOUND).status_code == 200
