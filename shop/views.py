from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "ok", 5)
    return "ok" if cache.get("healthz") == "ok" else "error"


def _check_broker() -> str:
    from shop.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Report the database, and where configured the cache and the broker."""
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["cache"] = _check_cache
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    report = {}
    for name, check in checks.items():
        try:
            report[name] = check()
        except Exception:
            report[name] = "error"
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse({"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico before reading the page's icon links: send them to the static file."""
    return HttpResponseRedirect(static("img/favicon.ico"))
