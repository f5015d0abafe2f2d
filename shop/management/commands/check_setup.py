"""`manage.py check_setup`: one list of what the running settings lack for production."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

# The backends shop.settings.production refuses, which this command may meet under other settings.
NOT_DELIVERING_EMAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
NOT_DELIVERING_SMS = {"accounts.sms.ConsoleSmsBackend", "accounts.sms.LocmemSmsBackend"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def check_payments() -> tuple[str, str | None]:
    if settings.YOOKASSA_SHOP_ID and settings.YOOKASSA_SECRET_KEY:
        if settings.PAYMENT_SANDBOX_ALLOWED:
            return "payments", "YooKassa is set, but PAYMENT_SANDBOX_ALLOWED=true still shows «Тестовый режим оплаты»"
        return "payments", None
    if settings.PAYMENT_SANDBOX_ALLOWED:
        return "payments", "only the sandbox (PAYMENT_SANDBOX_ALLOWED=true): set YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY"
    return "payments", "no provider: set YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY"


def check_sms() -> tuple[str, str | None]:
    backend = settings.SMS_BACKEND
    if backend in NOT_DELIVERING_SMS:
        return "sms", f"{backend} sends nothing: set SMS_BACKEND=accounts.sms_gateways.smsru.SmsRuBackend"
    try:
        import_string(backend)
    except ImportError:
        return "sms", f"SMS_BACKEND names {backend}, which does not import"
    if backend.endswith("smsru.SmsRuBackend") and not settings.SMS_RU_API_ID:
        return "sms", "SMS.ru without SMS_RU_API_ID"
    return "sms", None


def check_mail() -> tuple[str, str | None]:
    if settings.EMAIL_BACKEND in NOT_DELIVERING_EMAIL:
        return (
            "mail",
            f"{settings.EMAIL_BACKEND.rsplit('.', 2)[-2]} backend sends nothing: set EMAIL_URL=smtp+tls://...",
        )
    return "mail", None


def check_broker() -> tuple[str, str | None]:
    if not settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        return "broker", "no Celery broker: set REDIS_URL, or tasks run inside web requests"
    return "broker", None


def check_beat() -> tuple[str, str | None]:
    from shop.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE
    if not schedule:
        return "beat", "CELERY_BEAT_SCHEDULE is empty"
    app.loader.import_default_modules()
    unknown = sorted(entry["task"] for entry in schedule.values() if entry["task"] not in app.tasks)
    if unknown:
        return "beat", f"the schedule names tasks no app defines: {', '.join(unknown)}"
    return "beat", None


def _writable(path) -> bool:
    path = Path(path)
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def check_storage() -> tuple[str, str | None]:
    if getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""):
        return "storage", None
    missing = [
        f"{name}={path}"
        for name, path in (("MEDIA_ROOT", settings.MEDIA_ROOT), ("PRIVATE_MEDIA_ROOT", settings.PRIVATE_MEDIA_ROOT))
        if not _writable(path)
    ]
    if missing:
        return "storage", f"no bucket and no writable folder {', '.join(missing)}"
    return "storage", None


def check_https() -> tuple[str, str | None]:
    off = [
        name
        for name, on in (
            ("SECURE_SSL_REDIRECT", settings.SECURE_SSL_REDIRECT),
            ("SECURE_HSTS_SECONDS", settings.SECURE_HSTS_SECONDS > 0),
            ("SESSION_COOKIE_SECURE", settings.SESSION_COOKIE_SECURE),
            ("CSRF_COOKIE_SECURE", settings.CSRF_COOKIE_SECURE),
        )
        if not on
    ]
    if settings.DEBUG:
        off.append("DEBUG is on")
    if off:
        return "https", f"off: {', '.join(off)}"
    return "https", None


def check_domain() -> tuple[str, str | None]:
    if settings.SHOP_DOMAIN.rsplit(":", 1)[0] in LOCAL_HOSTS:
        return "domain", f"SHOP_DOMAIN={settings.SHOP_DOMAIN}: links in mail and SMS would lead nowhere"
    return "domain", None


CHECKS = [check_payments, check_sms, check_mail, check_broker, check_beat, check_storage, check_https, check_domain]


class Command(BaseCommand):
    help = "List what the running settings lack for production; exit with 1 when anything is missing."

    def handle(self, *args, **options):
        missing = 0
        for check in CHECKS:
            name, problem = check()
            if problem:
                missing += 1
                self.stdout.write(f"[missing] {name}: {problem}")
            else:
                self.stdout.write(f"[ok]      {name}{self._detail(name)}")
        if missing:
            raise CommandError(f"{missing} of {len(CHECKS)} missing for production.")
        self.stdout.write("Nothing missing for production.")

    def _detail(self, name: str) -> str:
        if name == "beat":
            tasks = ", ".join(f"{key} ({entry['task']})" for key, entry in settings.CELERY_BEAT_SCHEDULE.items())
            return f": {tasks}"
        if name == "payments":
            return ": YooKassa"
        if name == "sms":
            return f": {settings.SMS_BACKEND}"
        if name == "storage":
            bucket = getattr(settings, "AWS_STORAGE_BUCKET_NAME", "")
            return f": bucket {bucket}" if bucket else f": {settings.MEDIA_ROOT}, {settings.PRIVATE_MEDIA_ROOT}"
        return ""
