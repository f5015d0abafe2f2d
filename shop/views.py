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
    """Run every check in a daemon thread; one that has not answered when the time is up is a «timeout»."""
    report = dict.fromkeys(checks, "timeout")

    def run(name, check):
        try:
            report[name] = check()
        except Exception:
            report[name] = "error"

    threads = [
        threading.Thread(target=run, args=item, daemon=True, name=f"healthz-{item[0]}") for item in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + CHECK_TIMEOUT_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return dict(report)


@never_cache
@require_GET
def healthz(request):
    """Report the database, and where configured the cache and the broker, within two seconds."""
    checks = {"database": _check_database}
    if settings.CACHE_REDIS_URL:
        checks["cache"] = _check_cache
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    report = _run_checks(checks)
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse({"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico before reading the page's icon links: send them to the static file."""
    return HttpResponseRedirect(static("img/favicon.ico"))
