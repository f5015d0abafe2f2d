"""`/healthz/` is liveness (the process and the database), `/readyz/` readiness (database, broker, page cache)."""

import os
import socket
import threading

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


def _dead_redis_url(db: int = 0) -> str:
    """A port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/{db}"


@pytest.fixture
def dead_cache(settings):
    url = _dead_redis_url(1)
    settings.CACHE_REDIS_URL = url
    settings.CACHES = {
        **settings.CACHES,
        "catalog": {"BACKEND": "shop.cache.ShopRedisCache", "LOCATION": url, "KEY_PREFIX": "health"},
    }
    yield url
    caches["catalog"].close()


@pytest.fixture
def broker(settings):
    """Point the broker at a URL for the test, in the settings and in the Celery app that reads them."""
    from shop.celery import app

    previous = app.conf.broker_url

    def point(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        app.conf.broker_url = url

    yield point
    app.conf.broker_url = previous


def test_healthz_is_the_database_only(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.CACHE_REDIS_URL = ""
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    assert set(body) == {"status", "database", "ms"}


def test_healthz_stays_200_and_readyz_is_degraded_while_the_page_cache_is_away(client, settings, dead_cache, broker):
    broker("")

    assert client.get("/healthz/").status_code == 200
    response = client.get("/readyz/")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["ready"]) == ("degraded", True)
    assert body["checks"]["cache"]["status"] == "error"
    assert body["checks"]["cache"]["required"] is False
    assert body["checks"]["database"] == {"status": "ok", "ms": body["checks"]["database"]["ms"], "required": True}
    assert set(body["checks"]) == {"database", "cache"}


def test_readyz_is_503_without_the_broker_while_healthz_stays_200(client, settings, broker):
    settings.CACHE_REDIS_URL = ""
    broker(_dead_redis_url())

    assert client.get("/healthz/").status_code == 200
    response = client.get("/readyz/")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["ready"]) == ("error", False)
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["broker"]["required"] is True
    assert body["checks"]["database"]["status"] == "ok"


def test_both_are_503_when_the_database_fails(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""
    settings.CACHE_REDIS_URL = ""

    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr("shop.views._check_database", broken)
    assert client.get("/healthz/").status_code == 503
    assert client.get("/healthz/").json()["database"] == "error"
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "error"


def test_a_check_that_hangs_is_a_timeout_and_the_answer_still_comes(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    settings.CACHE_REDIS_URL = ""
    release = threading.Event()
    monkeypatch.setattr("shop.views.CHECK_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr("shop.views._check_broker", lambda: release.wait(60) and "ok")
    try:
        response = client.get("/readyz/")
    finally:
        release.set()
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"status": "timeout", "ms": 200.0, "required": True}
    assert response.json()["checks"]["database"]["status"] == "ok"


@pytest.mark.parametrize("path", ["/healthz/", "/readyz/"])
def test_probes_are_never_cached(client, path):
    assert "no-cache" in client.get(path)["Cache-Control"]


@pytest.mark.redis
def test_readyz_reports_database_broker_and_cache_with_redis(client, settings, broker):
    settings.CACHE_REDIS_URL = os.environ["REDIS_URL"]
    settings.CACHES = {
        **settings.CACHES,
        "catalog": {"BACKEND": "shop.cache.ShopRedisCache", "LOCATION": os.environ["REDIS_URL"]},
    }
    broker(os.environ["REDIS_URL"])

    response = client.get("/readyz/")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["ready"]) == ("ok", True)
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
    }
    assert all(isinstance(check["ms"], float) for check in body["checks"].values())
