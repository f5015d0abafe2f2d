"""Faults stay small: a broker that hangs or is gone never fails an order; without the database, cached pages
answer and the rest is the shop's 503 page, never a 500."""

import logging
import socket
import threading
from contextlib import contextmanager
from unittest.mock import patch

import pytest
from celery.backends.redis import RedisBackend
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from catalog.models import Category
from catalog.tests.factories import ProductFactory
from orders.models import Order, PaymentMethod
from orders.tests.conftest import moscow_delivery, stocked_product  # noqa: F401 - fixtures
from orders.tests.factories import cart_of, place, seller

pytestmark = pytest.mark.django_db

CATEGORY = "/catalog/videonablyudenie/"

# Short for the test; production waits 2 s for the broker and 1 s for the result store (shop/settings/base.py).
TEST_TIMEOUT = 0.5


class FrozenRedis:
    """A TCP listener that accepts every connection and never answers: Redis stopped with SIGSTOP."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.server.close()
        for conn in self.accepted:
            conn.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def frozen_redis():
    server = FrozenRedis()
    yield server
    server.close()


@pytest.fixture
def broker(settings, monkeypatch):
    """Send tasks to a real broker at a URL, with the production settings' bounds shortened for the test."""
    from shop.celery import app

    def point(url: str) -> None:
        options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "socket_timeout": TEST_TIMEOUT}
        options["socket_connect_timeout"] = TEST_TIMEOUT
        for name, value in {
            "broker_url": url,
            "task_always_eager": False,
            "broker_transport_options": options,
            "broker_connection_timeout": TEST_TIMEOUT,
            "task_publish_retry_policy": settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
            "result_backend": url,
            "redis_socket_timeout": TEST_TIMEOUT,
            "redis_socket_connect_timeout": TEST_TIMEOUT,
            "result_backend_transport_options": settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS,
        }.items():
            monkeypatch.setitem(app.conf, name, value)
        # The results live in the same Redis in production: a task's publish subscribes to its result there.
        monkeypatch.setattr(app._local, "backend", RedisBackend(app=app, url=url), raising=False)
        # Connections made for the suite's broker are not reused for this one.
        monkeypatch.setattr(app.amqp, "_producer_pool", None)
        monkeypatch.setattr(app, "_pool", None)

    yield point
    app.pool.force_close_all()


@pytest.fixture
def invoice_order_placed(moscow_delivery, stocked_product, django_capture_on_commit_callbacks):  # noqa: F811
    """Place an order by invoice (it needs its invoice made) and run what waits for the commit."""
    from accounts.tests.factories import CompanyUserFactory

    seller()

    def run() -> Order:
        user = CompanyUserFactory()
        company = user.company
        with django_capture_on_commit_callbacks(execute=True):
            return place(
                cart_of((stocked_product("1000.00"), 1), user=user),
                moscow_delivery["point"],
                user=user,
                method=PaymentMethod.INVOICE,
                company_name=company.name,
                inn=company.inn,
                kpp=company.kpp,
                legal_address=company.legal_address,
                contact_name="Пётр Иванов",
            )

    return run


def _publish_failures(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("could not enqueue")]


def test_an_order_is_placed_with_the_broker_frozen_and_its_documents_wait_for_the_sweep(
    frozen_redis, broker, invoice_order_placed, caplog
):
    broker(f"redis://127.0.0.1:{frozen_redis.port}/0")

    with caplog.at_level(logging.ERROR, logger="core.jobs"):
        order = invoice_order_placed()

    assert Order.objects.get(pk=order.pk).documents_due is True
    failures = _publish_failures(caplog)
    assert any("orders.documents" in message for message in failures), failures
    # The order's own two publishes (its email and documents), and the feed's rebuild when the order took the
    # last units of a product (catalog.changes): each gave up after two tries (its result subscription, tried
    # once more), not Celery's default of reading a frozen socket for ever.
    assert len([m for m in failures if "orders." in m]) == 2, failures
    assert len(frozen_redis.accepted) == 2 * len(failures), (len(frozen_redis.accepted), failures)


def test_an_order_is_placed_with_the_broker_stopped_and_its_documents_wait_for_the_sweep(
    broker, invoice_order_placed, caplog
):
    broker(f"redis://127.0.0.1:{_closed_port()}/0")

    with caplog.at_level(logging.ERROR, logger="core.jobs"):
        order = invoice_order_placed()

    assert Order.objects.get(pk=order.pk).documents_due is True
    assert any("orders.documents" in message for message in _publish_failures(caplog))


def test_every_broker_and_result_store_call_has_a_short_timeout_and_at_most_one_retry():
    from shop.celery import app

    conf = app.conf
    assert conf.broker_transport_options == {
        "socket_timeout": 2.0,
        "socket_connect_timeout": 2.0,
        "retry_on_timeout": False,
        "max_retries": 1,
    }
    assert conf.broker_connection_timeout == 2.0
    assert conf.task_publish_retry_policy["max_retries"] == 1
    assert (conf.redis_socket_timeout, conf.redis_socket_connect_timeout) == (1.0, 1.0)
    assert conf.result_backend_transport_options == {"retry_policy": {"max_retries": 0}}


@contextmanager
def database_down():
    """Every new query fails as with PostgreSQL stopped: the connection cannot be made."""

    def refuse(self):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with patch.object(BaseDatabaseWrapper, "ensure_connection", refuse):
        yield


@pytest.fixture
def cached_pages(client, settings):
    """The home page and a category page, each visited once so the page cache holds them."""
    settings.PAGE_CACHE_SECONDS = 60
    for path in ("/", CATEGORY):
        assert client.get(path).status_code == 200
    client.cookies.clear()
    return client


@pytest.mark.parametrize("path", ["/", CATEGORY])
def test_a_cached_page_answers_an_anonymous_visitor_with_the_database_down(cached_pages, path):
    with database_down():
        response = cached_pages.get(path)

    assert response.status_code == 200


def _assert_the_shops_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Магазин временно недоступен — попробуйте через минуту" in response.content.decode()


def test_an_uncached_product_page_is_the_shops_503_with_retry_after(cached_pages):
    product = ProductFactory(name="Камера Hikvision DS-2CD1043", category=Category.objects.get(slug="videonablyudenie"))

    with database_down():
        response = cached_pages.get(product.get_absolute_url())

    _assert_the_shops_503(response)


def test_a_guests_cart_is_the_shops_503(cached_pages):
    from django.conf import settings

    from cart.tests.factories import CartFactory, CartLineFactory
    from shop.sessions import SessionStore

    session = SessionStore()
    session.create()
    CartLineFactory(cart=CartFactory(session_key=session.session_key), product=ProductFactory(), quantity=1)
    cached_pages.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    # An error of a middleware (the header's cart) is a 500 before this one sees it: still the 503 page.
    cached_pages.raise_request_exception = False

    with database_down():
        answers = [cached_pages.get("/cart/"), cached_pages.get("/")]

    for response in answers:
        _assert_the_shops_503(response)


def test_healthz_is_503_with_the_database_down(client):
    with database_down():
        response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
