import os
import subprocess
import sys
from pathlib import Path

import pytest

from shop.settings.base import database_config

ROOT = Path(__file__).resolve().parent.parent.parent


def test_sqlite_default_uses_wal_immediate_transactions_and_busy_timeout():
    config = database_config("sqlite:////tmp/shop.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_switches_to_postgresql():
    config = database_config("postgres://shop:secret@db.internal:5432/shop")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "shop"
    assert "OPTIONS" not in config or "transaction_mode" not in config["OPTIONS"]


def test_postgresql_binds_on_the_server_and_prepares_repeated_queries_unless_told_not_to(monkeypatch):
    options = database_config("postgres://db.internal/shop")["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")
    options = database_config("postgres://db.internal/shop")["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] is None


def run_settings(env: dict, code: str) -> str:
    unset = {"DATABASE_URL", "REDIS_URL", "CACHE_REDIS_URL", "DJANGO_SECRET_KEY", "EMAIL_URL", "SMS_BACKEND"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip() + result.stderr.strip()


def test_without_a_broker_celery_runs_tasks_in_process():
    out = run_settings(
        {"DJANGO_SETTINGS_MODULE": "shop.settings.local"},
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1])",
    )
    assert out == "True LocMemCache"


def test_redis_url_configures_broker_and_cache():
    out = run_settings(
        {"DJANGO_SETTINGS_MODULE": "shop.settings.local", "REDIS_URL": "redis://127.0.0.1:6399/0"},
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL, settings.CACHES['default']['BACKEND'],"
        " settings.CACHES['catalog']['LOCATION'])",
    )
    assert out == "False redis://127.0.0.1:6399/0 shop.cache.ShopRedisCache redis://127.0.0.1:6399/1"


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "shop.settings.production",
    "DJANGO_SECRET_KEY": "k3y-" + "abcdefghij" * 5,
    "EMAIL_URL": "smtp+tls://shop:secret@smtp.example.ru:587",
    "SMS_BACKEND": "bench.sms.DiscardSmsBackend",
    "YOOKASSA_SHOP_ID": "123456",
    "YOOKASSA_SECRET_KEY": "live_secret",
}


def test_production_refuses_to_start_without_a_secret_key():
    out = run_settings({**PRODUCTION, "DJANGO_SECRET_KEY": ""}, "print(settings.DEBUG)")
    assert "DJANGO_SECRET_KEY" in out
    out = run_settings({k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}, "print(settings.DEBUG)")
    assert "DJANGO_SECRET_KEY" in out


@pytest.mark.parametrize("key", ["short-key", "x" * 60, "django-insecure-" + "abcdefghij" * 5])
def test_production_refuses_a_weak_secret_key(key):
    out = run_settings({**PRODUCTION, "DJANGO_SECRET_KEY": key}, "print(settings.DEBUG)")
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be at least 50 random characters" in out


@pytest.mark.parametrize("email_url", [None, "", "consolemail://", "dummymail://"])
def test_production_refuses_to_start_without_a_mail_server(email_url):
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    if email_url is not None:
        env["EMAIL_URL"] = email_url
    out = run_settings(env, "print(settings.EMAIL_BACKEND)")
    assert "ImproperlyConfigured" in out
    assert "EMAIL_URL" in out


@pytest.mark.parametrize("backend", [None, "accounts.sms.ConsoleSmsBackend", "accounts.sms.LocmemSmsBackend"])
def test_production_refuses_to_start_without_an_sms_backend(backend):
    env = {k: v for k, v in PRODUCTION.items() if k != "SMS_BACKEND"}
    if backend is not None:
        env["SMS_BACKEND"] = backend
    out = run_settings(env, "print(settings.SMS_BACKEND)")
    assert "ImproperlyConfigured: Set SMS_BACKEND" in out


def test_production_settings_are_hardened():
    out = run_settings(
        PRODUCTION,
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_PRELOAD, settings.EMAIL_BACKEND, settings.EMAIL_PORT)",
    )
    assert out == "False True True True False django.core.mail.backends.smtp.EmailBackend 587"


def test_expired_sessions_are_cleared_by_a_periodic_task(settings):
    from shop.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_clear_expired_sessions_task_deletes_only_expired_sessions():
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from shop.celery import clear_expired_sessions

    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now - timedelta(minutes=1))
    Session.objects.create(session_key="current", session_data="", expire_date=now + timedelta(days=1))
    clear_expired_sessions.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]


def test_pages_link_no_outside_host(client, db):
    html = client.get("/").content.decode()
    for marker in ("https://", "http://", "//cdn"):
        assert marker not in html.replace('href="http://testserver', "")


@pytest.mark.django_db
def test_missing_page_is_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "На главную" in response.content.decode()


def test_server_error_page_is_friendly_500(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.content.decode()


@pytest.mark.redis
def test_celery_worker_answers_through_redis(tmp_path):
    """Start a real worker on the Redis broker and round-trip a task through it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings.local",
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "CELERY_RESULT_BACKEND": os.environ["REDIS_URL"],
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shop",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=ROOT,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from shop.celery import ping; print(ping.delay().get(timeout=30))",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert probe.stdout.strip() == "pong", probe.stderr + (tmp_path / "worker.log").read_text()


@pytest.mark.redis
def test_redis_cache_round_trips_and_adds_many_in_one_pipeline():
    from shop.cache import ShopRedisCache

    cache = ShopRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "infra-test"})
    cache.set("answer", {"value": 42}, 30)
    assert cache.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    assert cache.add_many({"answer": 1, "fresh": [1, 2]}, timeout=30) == {"answer": {"value": 42}, "fresh": [1, 2]}
    assert cache.get("fresh") == [1, 2]
    assert cache.ping()
    cache.delete_many(["answer", "fresh"])
    assert cache.get("answer") is None


def test_the_production_settings_pass_djangos_deploy_checks_at_warning_level():
    unset = {"DATABASE_URL", "REDIS_URL", "CACHE_REDIS_URL", "DJANGO_SECRET_KEY", "EMAIL_URL", "SMS_BACKEND"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    # The browser tests' switch for Playwright's event loop is no setting a server would have.
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env = {**clean, **PRODUCTION, "DJANGO_ALLOWED_HOSTS": "shop.example.ru"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
