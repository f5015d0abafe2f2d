"""The production kit: beat's chores name real tasks; deploy files parse and say what README says."""

import configparser
import json
import os
import runpy
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml
from celery.schedules import crontab


def test_every_beat_entry_names_a_registered_task(settings):
    from shop.celery import app

    app.loader.import_default_modules()

    missing = {
        name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"] not in app.tasks
    }

    assert missing == {}


def test_beat_does_the_chores(settings):
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks["orders.release_expired"] == 60
    assert tasks["payments.reconcile"] == 120
    assert tasks["orders.documents_sweep"] == 600
    assert tasks["service.slots_generate"] == crontab(hour=2, minute=30)
    assert tasks["loyalty.points_expire"] == crontab(hour=3, minute=15)


ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
APP_SERVICES = ("web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser


def test_compose_brings_up_postgres_both_redis_instances_web_worker_and_beat():
    services = compose()["services"]

    assert set(services) == {"postgres", "redis", "redis-cache", "web", "worker", "beat"}
    assert services["postgres"]["image"] == "postgres:16"
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert services["redis"]["image"] == services["redis-cache"]["image"] == "redis:7"
    # README «Redis»: the broker evicts nothing, the catalog cache is bounded and evicts the least recently used.
    assert services["redis"]["command"][1:3] == ["--maxmemory-policy", "noeviction"]
    assert services["redis-cache"]["command"][1:5] == ["--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"]
    for name in ("postgres", "redis", "redis-cache"):
        assert services[name]["healthcheck"]["test"]


def test_compose_runs_gunicorn_and_celery_from_one_image_after_the_services_are_healthy():
    services = compose()["services"]

    assert "gunicorn -c deploy/gunicorn.conf.py shop.wsgi:application" in services["web"]["command"][-1]
    assert services["web"]["command"][-1].startswith("python manage.py migrate --noinput && ")
    assert services["worker"]["command"][:4] == ["celery", "-A", "shop", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "shop", "beat"]
    assert services["web"]["depends_on"] == {
        name: {"condition": "service_healthy"} for name in ("postgres", "redis", "redis-cache")
    }
    for name in ("worker", "beat"):
        assert services[name]["depends_on"] == {"web": {"condition": "service_healthy"}}
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert services[name]["build"] == "."
        assert services[name]["env_file"] == ".env"
        assert environment["DATABASE_URL"].endswith("@postgres:5432/shop")
        assert (environment["REDIS_URL"], environment["CACHE_REDIS_URL"]) == (
            "redis://redis:6379/0",
            "redis://redis-cache:6379/0",
        )
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_the_image_installs_the_requirements_and_collects_static_files_at_build_time():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()

    assert "RUN pip install -r requirements.txt" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    assert "USER shop" in dockerfile
    assert {".env", ".venv", ".git", "media/", "private_media/"} <= set(ignored)


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("shop-web.service", "/srv/shop/app/.venv/bin/gunicorn -c deploy/gunicorn.conf.py shop.wsgi:application"),
        ("shop-worker.service", "/srv/shop/app/.venv/bin/celery -A shop worker --loglevel=INFO"),
        (
            "shop-beat.service",
            "/srv/shop/app/.venv/bin/celery -A shop beat --loglevel=INFO "
            "--schedule=/var/lib/shop-beat/celerybeat-schedule",
        ),
    ],
)
def test_systemd_units_run_as_the_shop_user_with_its_environment_and_restart_on_failure(name, command):
    service = unit(name)["Service"]

    assert service["ExecStart"] == command
    assert (service["User"], service["EnvironmentFile"], service["Restart"]) == (
        "shop",
        "/srv/shop/app/.env",
        "on-failure",
    )
    assert service["Environment"] == "DJANGO_SETTINGS_MODULE=shop.settings.production"
    assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


def test_the_backup_timer_runs_the_backup_script_nightly():
    assert unit("shop-backup.service")["Service"]["ExecStart"] == "/srv/shop/app/deploy/backup.sh"
    assert unit("shop-backup.timer")["Timer"]["OnCalendar"] == "*-*-* 01:30:00"


def test_nginx_terminates_tls_passes_the_client_address_and_serves_no_private_media():
    conf = (DEPLOY / "nginx" / "shop.conf").read_text(encoding="utf-8")
    directives = {" ".join(line.split()) for line in conf.splitlines() if not line.strip().startswith("#")}

    assert {
        "listen 443 ssl;",
        "listen 80;",
        "return 301 https://$host$request_uri;",
        "ssl_certificate /etc/letsencrypt/live/shop.example.ru/fullchain.pem;",
        "ssl_certificate_key /etc/letsencrypt/live/shop.example.ru/privkey.pem;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header Host $host;",
        "client_max_body_size 300m;",
        "server 127.0.0.1:8000 fail_timeout=0;",
        "alias /srv/shop/media/;",
    } <= directives
    assert "private_media" not in " ".join(line for line in conf.splitlines() if not line.strip().startswith("#"))
    # Static files come from WhiteNoise through the app (cached by nginx), never from a folder nginx reads.
    static = conf.split("location /static/ {", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://shop_app;" in static and "alias" not in static and "root" not in static


def test_gunicorn_config_binds_behind_nginx_and_logs_each_request_as_json_on_stdout(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert (config["bind"], config["workers"], config["timeout"], config["accesslog"]) == ("127.0.0.1:8000", 3, 30, "-")
    line = config["access_log_format"] % {
        "t": "[07/Dec/2026:12:00:00 +0300]",
        "h": "127.0.0.1",
        "{x-forwarded-for}i": "203.0.113.7",
        "m": "GET",
        "U": "/catalog/",
        "q": "page=2",
        "s": "200",
        "B": "5120",
        "M": "12",
        "f": "-",
        "a": "curl/8",
    }
    assert json.loads(line)["forwarded_for"] == "203.0.113.7"
    assert json.loads(line)["status"] == 200


def test_readme_walks_through_the_deploy_kit():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    production = readme.split("## Production", 1)[1].split("\n## ", 1)[0]

    for needle in (
        "docker compose up",
        "deploy/systemd/",
        "deploy/nginx/shop.conf",
        "deploy/backup.sh",
        "deploy/restore.sh",
        "TRUSTED_PROXY_COUNT=1",
    ):
        assert needle in production


def _database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


def _page(env: dict[str, str]) -> list[str]:
    out = _run([sys.executable, "manage.py", "shell", "-c", PAGE_CHECK], env)
    return next(line.split()[1:] for line in out.splitlines() if line.startswith("RESULT "))


PAGE_CHECK = """
from django.test import Client
from catalog.models import ProductImage
from orders.models import Order
order = Order.objects.filter(documents__isnull=False).distinct().order_by("pk").first()
document = order.documents.order_by("pk").first()
picture = ProductImage.objects.order_by("pk").first()
client = Client()
client.force_login(order.user)
response = client.get(order.get_absolute_url(), HTTP_HOST="127.0.0.1")
print("RESULT", Order.objects.count(), response.status_code, order.number in response.content.decode(),
      document.file.storage.exists(document.file.name), picture.image.storage.exists(picture.image.name))
"""


@pytest.mark.postgres
def test_a_backup_restores_into_an_empty_database_and_serves_an_order_page(tmp_path):
    import psycopg

    server = os.environ["DATABASE_URL"]
    suffix = uuid.uuid4().hex[:8]
    source, restored = f"shop_backup_{suffix}", f"shop_restored_{suffix}"
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "CACHE_", "MEDIA_", "PRIVATE_MEDIA_"))
    }
    # No Redis (tasks run in-process, caches in memory), DEBUG for static files without collectstatic.
    base = {**kept, "DJANGO_SETTINGS_MODULE": "shop.settings.local", "DJANGO_DEBUG": "true", "REDIS_URL": ""}
    base |= {"CACHE_REDIS_URL": "", "CELERY_BROKER_URL": "", "SHOP_DEMO_DATA_ALLOWED": "true", "LOG_LEVEL": "WARNING"}
    before = {**base, "DATABASE_URL": _database(server, source)}
    before |= {"MEDIA_ROOT": str(tmp_path / "media"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private")}
    after = {**base, "DATABASE_URL": _database(server, restored)}
    after |= {"MEDIA_ROOT": str(tmp_path / "media2"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private2")}
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{source}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
        try:
            python = sys.executable
            _run([python, "manage.py", "migrate", "--noinput", "-v0"], before)
            _run([python, "manage.py", "seed_demo"], before)
            expected = _page(before)

            folder = Path(_run([str(DEPLOY / "backup.sh"), str(tmp_path / "backups")], before).splitlines()[-1])
            _run([str(DEPLOY / "restore.sh"), str(folder)], after)
            served = _page(after)
            again = subprocess.run(
                [str(DEPLOY / "restore.sh"), str(folder)], cwd=ROOT, env=after, capture_output=True, text=True
            )
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{source}" WITH (FORCE)')
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')

    assert sorted(path.name for path in folder.iterdir()) == [
        "SHA256SUMS",
        "media.tar.gz",
        "private_media.tar.gz",
        "shop.dump",
    ]
    assert expected == served == ["4", "200", "True", "True", "True"]
    assert again.returncode == 1 and "restore only into an empty one" in again.stderr
