import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Each check gets this long; they run side by side, so the answer comes within it whatever hangs.
CHECK_TIMEOUT_SECONDS = 1.5


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # The check runs in a thread of its own: its connection must not outlive it.
        connection.close()
    return "ok"


def _check_cache() -> str:
    cache = caches["catalog"]
    if hasattr(cache, "ping"):
        return "ok" if cache.ping() else "error"
    cache.set("healthz", "ok", 5)
    return "ok" if cache.get("healthz") == "ok" else "error"


def _check_broker() -> str:
    from shop.celery import app

    # Socket timeouts of its own, so that a frozen broker never keeps the check's thread forever.
    timeouts = {"socket_timeout": CHECK_TIMEOUT_SECONDS, "socket_connect_timeout": CHECK_TIMEOUT_SECONDS}
    with app.connection_for_write(transport_options=timeouts) as conn:
        conn.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT_SECONDS)
    return "ok"


def _run_checks(checks: dict) -> dict:
    """Run every check in a daemon thread; each answers its state and how long it took in milliseconds, and one
    that has not answered when the time is up is a «timeout»."""
    report = {name: {"status": "timeout", "ms": CHECK_TIMEOUT_SECONDS * 1000} for name in checks}

    def run(name, check):
        began = time.monotonic()
        try:
            status = check()
        except Exception:
            status = "error"
        report[name] = {"status": status, "ms": round((time.monotonic() - began) * 1000, 1)}

    threads = [
        threading.Thread(target=run, args=item, daemon=True, name=f"health-{item[0]}") for item in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + CHECK_TIMEOUT_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: dict(result) for name, result in report.items()}


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers and so does the database, within two seconds; the cache and the broker
    never make it fail (restarting the process would not bring them back)."""
    database = _run_checks({"database": _check_database})["database"]
    alive = database["status"] == "ok"
    return JsonResponse(
        {"status": "ok" if alive else "error", "database": database["status"], "ms": database["ms"]},
        status=200 if alive else 503,
    )


@never_cache
@require_GET
def readyz(request):
    """Readiness: every dependency with its state and latency, within two seconds. The database and the broker
    are required (503 without them); the page cache only degrades the node, as every read is then a miss."""
    checks, required = {"database": _check_database}, {"database"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
        required.add("broker")
    if settings.CACHE_REDIS_URL:
        checks["cache"] = _check_cache
    report = _run_checks(checks)
    for name, result in report.items():
        result["required"] = name in required
    ready = all(report[name]["status"] == "ok" for name in required)
    healthy = all(result["status"] == "ok" for result in report.values())
    status = "ok" if healthy else "degraded" if ready else "error"
    return JsonResponse({"status": status, "ready": ready, "checks": report}, status=200 if ready else 503)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico before reading the page's icon links: send them to the static file."""
    return HttpResponseRedirect(static("img/favicon.ico"))
