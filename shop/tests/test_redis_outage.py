"""The shop keeps selling while Redis is stopped or frozen, and uses it again once it is back.

Each test runs a redis-server of its own on a free port, so stopping or freezing it touches nobody else's.
"""

import logging
import shutil
import signal
import socket
import subprocess
import time
import uuid

import pytest
import redis
from django.core.cache import caches

from accounts.tests.factories import PASSWORD, UserFactory
from catalog.models import Category
from catalog.tests.factories import ProductFactory, StockFactory
from conftest import missing_service

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

PAGES = ("/", "/catalog/", "/catalog/videonablyudenie/", "/search/?q=камера")


class OwnRedis:
    """A throwaway redis-server that a test may stop, freeze, thaw and start again."""

    def __init__(self, directory):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.process = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=0.5)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def keys(self, db: int) -> list[bytes]:
        return redis.Redis(port=self.port, db=db, socket_timeout=1).keys("*")


@pytest.fixture
def own_redis(tmp_path, settings, monkeypatch):
    if shutil.which("redis-server") is None:
        missing_service("needs the redis-server package")
    server = OwnRedis(tmp_path)
    server.start()
    from shop.settings.base import REDIS_CACHE_OPTIONS

    settings.CACHES = {
        "default": {
            "BACKEND": "shop.cache.ShopRedisCache",
            "LOCATION": server.url(0),
            "KEY_PREFIX": "outage",
            "OPTIONS": {**REDIS_CACHE_OPTIONS, "LOCAL_FALLBACK": True},
        },
        "catalog": {
            "BACKEND": "shop.cache.ShopRedisCache",
            "LOCATION": server.url(1),
            "KEY_PREFIX": "outage",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
    }
    settings.CACHE_REDIS_URL = server.url(1)
    settings.PAGE_CACHE_SECONDS = 60
    # Redis is tried again this long after a failure; short, so that recovery is seen within the test.
    monkeypatch.setattr("shop.cache.RETRY_AFTER_SECONDS", 0.5)
    yield server
    if server.process.poll() is None:
        server.thaw()
        server.stop()
    for cache in caches.all(initialized_only=True):
        cache.close()


@pytest.fixture
def catalog():
    category = Category.objects.get(slug="videonablyudenie")
    product = ProductFactory(name="Камера Hikvision DS-2CD1043", category=category)
    StockFactory(product=product, quantity=20)
    return product


def _shop_still_sells(client, product) -> None:
    for path in (*PAGES, product.get_absolute_url()):
        assert client.get(path).status_code == 200, path
    user = UserFactory(email=f"buyer-{uuid.uuid4().hex[:12]}@example.ru")
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    response = client.post("/cart/add/", {"product": product.pk, "quantity": "2"})
    assert response.status_code == 302
    assert client.get("/cart/").context["cart_count"] == 2
    client.post("/accounts/logout/")


def test_shop_sells_while_redis_is_stopped_and_uses_it_again_when_it_is_back(client, own_redis, catalog, caplog):
    for path in PAGES:
        assert client.get(path).status_code == 200
    assert own_redis.keys(1), "the catalog cache is used while Redis is up"

    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="shop.cache"):
        _shop_still_sells(client, catalog)
        _shop_still_sells(client, catalog)
    outages = [r for r in caplog.records if "is unavailable" in r.getMessage()]
    # Once per cache (default, catalog), however many calls failed.
    assert 1 <= len(outages) <= 2
    assert len({r.getMessage().split(" is unavailable")[0] for r in outages}) == len(outages)

    own_redis.start()
    time.sleep(0.6)
    guest = client.__class__()
    assert guest.get(catalog.get_absolute_url()).status_code == 200
    assert any(key.startswith(b"outage:1:page:") for key in own_redis.keys(1))


@pytest.fixture
def failures(monkeypatch):
    """Every Redis call that failed (timed out or was refused), by cache location."""
    from shop.cache import _Outage

    seen = []
    failed = _Outage.failed

    def counting(self, error, *, fallback):
        seen.append(self.name)
        failed(self, error, fallback=fallback)

    monkeypatch.setattr(_Outage, "failed", counting)
    return seen


def test_a_frozen_redis_costs_one_timeout_per_cache_not_one_per_call(client, own_redis, catalog, failures, monkeypatch):
    # The window in which Redis is left alone outlasts the test, however slow the machine.
    monkeypatch.setattr("shop.cache.RETRY_AFTER_SECONDS", 3600.0)
    client.get("/")
    own_redis.freeze()
    for path in (*PAGES, catalog.get_absolute_url()):
        assert client.get(path).status_code == 200, path
    _shop_still_sells(client, catalog)
    # Two caches (default and catalog): each waited for one timeout, then was answered without Redis.
    assert 1 <= len(failures) <= 2
    assert len(set(failures)) == len(failures)


def test_healthz_stays_200_and_readyz_reports_a_frozen_redis(client, own_redis, settings):
    from shop.celery import app

    previous, app.conf.broker_url = app.conf.broker_url, own_redis.url(0)
    settings.CELERY_BROKER_URL = own_redis.url(0)
    try:
        ready = client.get("/readyz/")
        assert ready.status_code == 200
        assert {name: check["status"] for name, check in ready.json()["checks"].items()} == {
            "database": "ok",
            "cache": "ok",
            "broker": "ok",
        }
        own_redis.freeze()
        alive = client.get("/healthz/")
        ready = client.get("/readyz/")
    finally:
        app.conf.broker_url = previous
    assert alive.status_code == 200
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache"]["status"] in {"error", "timeout"}
    assert checks["broker"]["status"] in {"error", "timeout"}


def test_healthz_stays_200_with_redis_stopped_and_readyz_reports_the_cache(client, own_redis):
    own_redis.stop()
    assert client.get("/healthz/").status_code == 200
    response = client.get("/readyz/")
    # The broker is the suite's own Redis, still up: the node is degraded, not unready.
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"] == {**response.json()["checks"]["cache"], "status": "error"}


def test_fail_soft_cache_answers_like_a_miss_while_redis_is_stopped(own_redis):
    cache = caches["catalog"]
    cache.set("answer", 42, 30)
    assert cache.get("answer") == 42
    own_redis.stop()
    assert cache.get("answer") is None
    assert cache.get("answer", "default") == "default"
    assert cache.get_many(["answer"]) == {}
    cache.set("answer", 43, 30)
    with pytest.raises(ValueError):
        cache.incr("answer")


def test_rate_limit_cache_keeps_counting_in_memory_while_redis_is_stopped(own_redis):
    cache = caches["default"]
    own_redis.stop()
    assert cache.add("lock", True, 10) is True
    assert cache.add("lock", True, 10) is False
    cache.set("history", [1, 2], 10)
    assert cache.get("history") == [1, 2]


def test_login_lock_holds_while_redis_is_stopped(client, own_redis):
    from accounts.adapter import TOO_MANY_ATTEMPTS

    UserFactory(email="ivanova@example.ru")
    own_redis.stop()
    for _ in range(5):
        client.post("/accounts/login/", {"login": "ivanova@example.ru", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": "ivanova@example.ru", "password": PASSWORD})
    assert response.context["form"].non_field_errors() == [TOO_MANY_ATTEMPTS]


def test_add_many_keeps_what_is_there_adds_the_rest_and_answers_what_each_key_holds(own_redis):
    cache = caches["catalog"]
    cache.set("kept", 1, None)
    assert cache.add_many({"kept": 2, "new": 3}, timeout=None) == {"kept": 1, "new": 3}
    assert cache.get_many(["kept", "new"]) == {"kept": 1, "new": 3}
    # Stored without expiry, as version stamps are.
    assert redis.Redis(port=own_redis.port, db=1).ttl(cache.make_and_validate_key("new")) == -1


def test_add_many_answers_as_added_while_redis_is_stopped_and_from_memory_with_a_fallback(own_redis):
    own_redis.stop()
    assert caches["catalog"].add_many({"a": 1}, timeout=None) == {"a": 1}
    memory = caches["default"]
    assert memory.add_many({"b": 1}, timeout=10) == {"b": 1}
    assert memory.add_many({"b": 2, "c": 3}, timeout=10) == {"b": 1, "c": 3}


def test_redis_cache_takes_keys_memcached_would_refuse_without_checking_each(own_redis, recwarn):
    # Redis keys may hold any byte and be long: Django's memcached warning costs 3 µs a key, and a
    # listing page asks for about a hundred.
    cache = caches["catalog"]
    key = "catalog:card with spaces:" + "x" * 300
    cache.set_many({key: 1}, timeout=10)
    assert cache.get_many([key]) == {key: 1}
    assert not [warning for warning in recwarn if "memcached" in str(warning.message)]


def test_reads_use_the_cache_own_client_and_answer_as_django_does(own_redis, monkeypatch):
    cache = caches["catalog"]
    cache.set_many({"a": 1, "b": None}, timeout=10)
    made = []
    real_init = redis.Redis.__init__
    monkeypatch.setattr(redis.Redis, "__init__", lambda self, *a, **k: (made.append(1), real_init(self, *a, **k))[1])

    assert cache.get("a") == 1
    assert cache.get("missing", "default") == "default"
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": None}
    assert cache.get_many([]) == {}
    assert made == []  # no new client per read


def test_writes_use_the_cache_own_client_and_do_what_django_does(own_redis, monkeypatch):
    cache = caches["catalog"]
    cache.get("warm")  # the cache and its client exist before counting
    made = []
    real_init = redis.Redis.__init__
    monkeypatch.setattr(redis.Redis, "__init__", lambda self, *a, **k: (made.append(1), real_init(self, *a, **k))[1])

    cache.set("a", 1, timeout=10)
    cache.set("forever", 2, timeout=None)
    cache.set("gone", 3, timeout=10)
    cache.set("gone", 3, timeout=0)  # a timeout of 0 deletes, as Django's backend does
    assert cache.add("a", 9, timeout=10) is False
    assert cache.add("b", 2, timeout=10) is True
    assert cache.add("zero", 1, timeout=0) is True
    assert cache.set_many({"c": 3, "d": None, "e": 5}, timeout=10) == []
    assert cache.set_many({}, timeout=10) == []
    assert cache.delete("c") is True
    assert cache.delete("c") is False
    cache.delete_many(["d", "missing"])
    cache.delete_many([])
    assert made == []  # no new client per write

    kept = cache.get_many(["a", "b", "c", "d", "e", "forever", "gone", "zero"])
    assert kept == {"a": 1, "b": 2, "e": 5, "forever": 2}
    raw = redis.Redis(port=own_redis.port, db=1, socket_timeout=1)
    assert all(0 < raw.ttl(cache.make_key(key)) <= 10 for key in ("a", "b", "e"))
    assert raw.ttl(cache.make_key("forever")) == -1
