"""Production settings: every secret from the environment, no defaults that would be unsafe."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, SILENCED_SYSTEM_CHECKS, STORAGES, env

# Backends that keep messages on the server: in production a reset link or a login code would reach nobody.
NOT_DELIVERING_EMAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
NOT_DELIVERING_SMS = {"accounts.sms.ConsoleSmsBackend", "accounts.sms.LocmemSmsBackend"}
SMSRU_BACKEND = "accounts.sms_gateways.smsru.SmsRuBackend"


def require_secret_key(value: str) -> str:
    """Refuse an empty, short or repetitive secret key, as Django's deployment check would warn."""
    if len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure-"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters in production.")
    return value


def require_email_backend() -> dict:
    """The mail settings from EMAIL_URL, which must name a backend that delivers."""
    if not env("EMAIL_URL", default=""):
        raise ImproperlyConfigured("Set EMAIL_URL (for example smtp+tls://user:password@smtp.example.ru:587).")
    config = env.email_url("EMAIL_URL")
    if config["EMAIL_BACKEND"] in NOT_DELIVERING_EMAIL:
        raise ImproperlyConfigured("EMAIL_URL must name a mail server in production, not the console.")
    return config


def require_sms_backend() -> str:
    """The SMS backend class, which must deliver."""
    backend = env("SMS_BACKEND", default="")
    if not backend or backend in NOT_DELIVERING_SMS:
        raise ImproperlyConfigured("Set SMS_BACKEND to a class that sends text messages, not the console.")
    if backend == SMSRU_BACKEND and not env("SMS_RU_API_ID", default=""):
        raise ImproperlyConfigured("Set SMS_RU_API_ID, the api_id of the SMS.ru account.")
    return backend


def require_telegram() -> str:
    """The bot's token, if any; a bot needs its username (the deep link) and the webhook's secret."""
    token = env("TELEGRAM_BOT_TOKEN", default="")
    if token and not (env("TELEGRAM_BOT_USERNAME", default="") and env("TELEGRAM_WEBHOOK_SECRET", default="")):
        raise ImproperlyConfigured("With TELEGRAM_BOT_TOKEN set TELEGRAM_BOT_USERNAME and TELEGRAM_WEBHOOK_SECRET.")
    return token


def require_payment_provider() -> bool:
    """Whether the payment sandbox is allowed: only when asked for (staging), else YooKassa must be configured."""
    sandbox = env.bool("PAYMENT_SANDBOX_ALLOWED", default=False)
    if not sandbox and not (env("YOOKASSA_SHOP_ID", default="") and env("YOOKASSA_SECRET_KEY", default="")):
        raise ImproperlyConfigured(
            "Set YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY, or PAYMENT_SANDBOX_ALLOWED=true on a staging site."
        )
    return sandbox


DEBUG = False
SECRET_KEY = require_secret_key(env("DJANGO_SECRET_KEY"))
_email = require_email_backend()
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
SMS_BACKEND = require_sms_backend()
TELEGRAM_BOT_TOKEN = require_telegram()
PAYMENT_SANDBOX_ALLOWED = require_payment_provider()
SHOP_DEMO_DATA_ALLOWED = env.bool("SHOP_DEMO_DATA_ALLOWED", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SHOP_URL_SCHEME = "https"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is a promise to browsers that is slow to take back; turn it on once HTTPS is final everywhere.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Preloading stays off until HTTPS is final for every subdomain (README): a decision, not an oversight.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# WhiteNoise serves the collected static files right after the security middleware.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
