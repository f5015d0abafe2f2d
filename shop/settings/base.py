"""Settings shared by every environment; every value comes from the environment."""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE as CSP_NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies of the shop's own stand before it, each appending to X-Forwarded-For; 0 ignores the header.
# core.http.client_ip and allauth read the visitor's address through it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "django.contrib.humanize",
    # Third-party
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "imagekit",
    # Our apps
    "shop",  # the project's own commands (check_setup)
    "core",
    "accounts",
    "catalog",
    "cart",
    "delivery",
    "promotions",
    "loyalty",
    "orders",
    "payments",
    "service",
    "notices",
    "configurator",
    "exchange",
    "feeds",
    "lists",
    "demo",
]

MIDDLEWARE = [
    # First: every log line of the request, and of the tasks it sends, carries its request id.
    "shop.middleware.RequestIdMiddleware",
    # Next: a request that needs the unreachable database gets the shop's 503 page, never a 500.
    "shop.middleware.DatabaseDownMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so a cached answer gets its own header and nonce too.
    "shop.csp.ContentSecurityPolicyMiddleware",
    "shop.middleware.StripNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, learning a customer whose session came from the cache in one query (shop/sessions.py).
    "shop.sessions.AuthenticationMiddleware",
    "shop.middleware.ShopHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last: it needs the resolved view, and the CSRF middleware must wrap it.
    "shop.pagecache.PageCacheMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from the shop itself or with the answer's nonce, never inline;
# forms may post to the shop and, through a redirect, to the payment provider's page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", CSP_NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", "https://yoomoney.ru"],
    }
}

# Browser features no page of the shop uses, switched off for every page and anything it embeds.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(self)"
# Pages under these URL namespaces (and allauth's account_* pages) show a person's data: never stored by a cache.
PERSONAL_URL_NAMESPACES = ["accounts", "cart", "checkout", "orders", "payments", "service"]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "catalog.context_processors.catalog_menu",
                "accounts.context_processors.customer",
                "shop.personal.header_cart",
                "payments.context_processors.payment_mode",
                # After Django's csrf processor, whose token it replaces on pages made for the page cache.
                "shop.personal.csrf_slot",
            ],
            "libraries": {"personal": "shop.personal"},
        },
    },
]


def database_config(url: str) -> dict:
    """Parse DATABASE_URL; SQLite gets WAL, IMMEDIATE transactions and a busy timeout."""
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
            ),
        }
    else:
        config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
        # Parameters bound by the server, so psycopg prepares a statement on its connection once it has run
        # `prepare_threshold` times (planned once per connection, not per request). Off behind a pooler in
        # transaction mode that cannot keep prepared statements (PgBouncer before 1.21).
        prepared = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
        config["OPTIONS"] = {
            **config.get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": env.int("DATABASE_PREPARE_THRESHOLD", default=5) if prepared else None,
        }
    return config


DATABASES = {"default": database_config(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")


def redis_database(url: str, number: int) -> str:
    """The same Redis server as `url`, another database number."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


# Two caches that never compete for memory (see README, «Redis»):
# - "default": allauth's rate limits and login locks, on REDIS_URL (maxmemory-policy noeviction); while Redis
#   is away they count in each process's memory, so nobody is locked out and guesses stay limited;
# - "catalog": the menu, filter counts and whole pages, all rebuilt on a miss, on CACHE_REDIS_URL
#   (maxmemory with allkeys-lru); while Redis is away every read is a miss.
# Both fail soft: short timeouts, one log line per outage, Redis tried again a few seconds later.
CACHE_REDIS_URL = env("CACHE_REDIS_URL", default=redis_database(REDIS_URL, 1) if REDIS_URL else "")
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
    "socket_timeout": env.float("REDIS_TIMEOUT", default=0.5),
}
_key_prefix = env("CACHE_KEY_PREFIX", default="shop")
CACHES = {
    "default": (
        {
            "BACKEND": "shop.cache.ShopRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _key_prefix,
            "OPTIONS": {**REDIS_CACHE_OPTIONS, "LOCAL_FALLBACK": True},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shop"}
    ),
    "catalog": (
        {
            "BACKEND": "shop.cache.ShopRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": _key_prefix,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
        if CACHE_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "catalog"}
    ),
}
# Sessions live in the database and are read through the fail-soft "catalog" Redis (shop/sessions.py): losing
# Redis logs nobody out and lets nobody in. Expired rows are removed by the `clearsessions` periodic task.
SESSION_ENGINE = "shop.sessions"
SESSION_CACHE_ALIAS = "catalog"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Customers' files (repair attachments): never under MEDIA_ROOT, served only through a view.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
# Django serves MEDIA_ROOT itself only where nothing else does (`make run`).
SERVE_MEDIA = False

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible media; credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    _media_backend = "storages.backends.s3.S3Storage"
    # Documents and customers' files: a private prefix of the bucket, addresses signed for a minute.
    _private_backend = "core.storage_s3.PrivateS3Storage"
else:
    _media_backend = "django.core.files.storage.FileSystemStorage"
    _private_backend = "core.storage.PrivateFileSystemStorage"
STORAGES = {
    "default": {"BACKEND": _media_backend},
    "private": {"BACKEND": _private_backend},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# An invoice is valid, and its goods reserved, for this many Russian working days (holidays.RU production calendar).
INVOICE_PAYMENT_DAYS = env.int("INVOICE_PAYMENT_DAYS", default=3)
# Points unspent this many days after they were earned burn (first earned, first spent), every night.
POINTS_EXPIRE_DAYS = env.int("POINTS_EXPIRE_DAYS", default=365)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Thumbnails are generated when an image is saved, so rendering a page never touches storage.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django's default: messages ride in a signed cookie (no session write per message), the session takes any overflow.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

# Celery: a broker when REDIS_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A publish never holds a page: with Redis frozen or stopped a task's publish gives up within about 2 s (its
# subscription to the result: two tries of 1 s; the broker: one try of 2 s), is logged by
# core.jobs.enqueue_after_commit, and the periodic sweeps make what the task would have made.
CELERY_BROKER_CONNECTION_TIMEOUT = 2.0
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 2.0,
    "socket_connect_timeout": 2.0,
    "retry_on_timeout": False,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_TIMEOUT = 1.0
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1.0
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
# Periodic tasks, run by `celery -A shop beat`: each app's housekeeping.
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "shop.clear_expired_sessions", "schedule": crontab(hour=4, minute=10)},
    "cart-cleanup": {"task": "cart.cleanup", "schedule": 60 * 60 * 24},
    "orders-release-expired": {"task": "orders.release_expired", "schedule": 60},
    # Reads only the orders flagged `documents_due`, so it costs one indexed query when nothing is missing.
    "orders-documents-sweep": {"task": "orders.documents_sweep", "schedule": 60 * 10},
    "payments-reconcile": {"task": "payments.reconcile", "schedule": 60 * 2},
    "service-installation-acts-sweep": {"task": "service.installation_acts_sweep", "schedule": 60 * 10},
    "service-slots-generate": {"task": "service.slots_generate", "schedule": crontab(hour=2, minute=30)},
    "loyalty-points-expire": {"task": "loyalty.points_expire", "schedule": crontab(hour=3, minute=15)},
    "accounts-sms-check-statuses": {"task": "accounts.sms_check_statuses", "schedule": 60 * 5},
    # Notices held over the quiet hours go at 09:00; a notice a broker outage left queued goes too.
    "notices-sweep": {"task": "notices.sweep", "schedule": 60 * 5},
    # The day before a visit, at 12:00 Moscow time: the reminder is the one notice the quiet hours do not hold.
    "service-visit-reminders": {"task": "service.visit_reminders", "schedule": crontab(hour=12, minute=0)},
    # Catalogue changes rebuild the YML feed within a minute (feeds.services.feed_rebuild_soon); a reservation
    # that runs out frees units without any write, so the feed is also rebuilt on a clock.
    "feeds-build": {"task": "feeds.build", "schedule": 60 * 20},
}

# Email: console by default, SMTP through EMAIL_URL in production.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# The shop's name and address, as emails and the sites framework give them (a data migration copies them to the Site).
SHOP_NAME = env("SHOP_NAME", default="Охрана Плюс")
SHOP_DOMAIN = env("SHOP_DOMAIN", default="127.0.0.1:8000")
# The scheme of links in emails: https in production, plain http for `make run`.
SHOP_URL_SCHEME = env("SHOP_URL_SCHEME", default="http")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{SHOP_NAME} <noreply@ohrana-plus.ru>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-allauth: login by email or phone; the accounts app adapts the rest.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# The signup form has one login field that fills either email or phone; one of them is always set.
ACCOUNT_SIGNUP_FIELDS = ["email", "phone", "password1*"]
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
# Signup must say that a login is taken, so login by code and reset say plainly that one is unknown;
# all three draw on one rate-limited allowance ("login_lookup") instead of pretending.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
# None shows «Запомнить меня»: ticked keeps the session SESSION_COOKIE_AGE, unticked ends it with the browser.
ACCOUNT_SESSION_REMEMBER = None
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Охрана Плюс] "
ACCOUNT_RATE_LIMITS = {
    # 5 wrong passwords for one login in 5 minutes, then a cool-off until the window passes.
    "login_failed": "20/m/ip,5/300s/key",
    # Signups from one address: a person needs one or two, a script probing which logins exist needs many.
    "signup": "10/m/ip",
    # Answers saying whether an email or phone has an account: signup, login by code, password reset.
    "login_lookup": "10/m/ip",
}
SMS_BACKEND = env("SMS_BACKEND", default="accounts.sms.ConsoleSmsBackend")
# Seconds one call to the SMS gateway may take; a send that could not connect is tried once more at once.
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=5.0)
# SMS.ru (SMS_BACKEND=accounts.sms_gateways.smsru.SmsRuBackend): the account's api_id and the API address.
SMS_RU_API_ID = env("SMS_RU_API_ID", default="")
SMS_RU_URL = env("SMS_RU_URL", default="https://sms.ru")
# Telegram (notices): without a bot token the profile offers no Telegram and nothing is sent there.
TELEGRAM_BOT_TOKEN = env("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_BOT_USERNAME = env("TELEGRAM_BOT_USERNAME", default="")
TELEGRAM_WEBHOOK_SECRET = env("TELEGRAM_WEBHOOK_SECRET", default="")
TELEGRAM_STAFF_CHAT_ID = env("TELEGRAM_STAFF_CHAT_ID", default="")
TELEGRAM_API_URL = env("TELEGRAM_API_URL", default="https://api.telegram.org")
TELEGRAM_TIMEOUT = env.float("TELEGRAM_TIMEOUT", default=5.0)

# seed_demo creates an administrator with a published password: never on a production database.
SHOP_DEMO_DATA_ALLOWED = env.bool("SHOP_DEMO_DATA_ALLOWED", default=True)
SHOP_NAME = "Охрана Плюс"
SHOP_PHONE = "8 800 555-35-35"
CATALOG_PAGE_SIZE = 24
CATALOG_LOW_STOCK = 5
CATALOG_CACHE_SECONDS = env.int("CATALOG_CACHE_SECONDS", default=300)
# The shared part of catalog pages is kept in the cache this long (0 turns it off); each visitor's own parts
# (account, cart, messages, CSRF token) are filled in per request, see shop/pagecache.py.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# A category's «Похожие товары» cards, shared by all its product pages, are read again after this long (so
# their availability is as fresh as a cached page's) or at once when a product of the category is edited.
CATALOG_RELATED_SECONDS = env.int("CATALOG_RELATED_SECONDS", default=60)
# The pages served from that cache, by URL name, with the query parameters each understands ("a_*": a prefix);
# any other parameter is dropped before the view sees it, so it can neither change the page nor add an entry.
PAGE_CACHE_VIEWS = {
    "catalog:home": [],
    "catalog:index": [],
    "catalog:category": ["brand", "price_min", "price_max", "in_stock", "sort", "page", "a_*"],
    "catalog:product": [],
    "catalog:search": ["q", "page"],
}
# Of those, the pages that show a signed-in customer something chosen for them (the home page's recommendations,
# by interests and type of object): stored per profile, which the named function reads from the user (None when
# nothing is chosen for them); customers with the same profile share the page.
PAGE_CACHE_PROFILE_VIEWS = {"catalog:home": "catalog.selectors.recommendation_profile"}
# Pages of the visitor's own, stored per cart owner under a digest of what they show, which the named
# function reads in one query (and returns with the header's cart count and sum), or None to render in full.
PAGE_CACHE_OWNER_VIEWS = {"cart:detail": "cart.selectors.cart_page_state"}

# One line per record on stderr, with the request id, the user id and any `extra` (shop/logging.py): JSON, or
# key=value with LOG_FORMAT=text for reading in a terminal. A Celery worker writes the same (shop/celery.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "shop.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "shop.logging.JsonFormatter"}, "text": {"()": "shop.logging.TextFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": env("LOG_FORMAT", default="json"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A line for every step of every PDF otherwise.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Errors go to Sentry when SENTRY_DSN is set, with emails, phones, cookies and addresses scrubbed (shop/logging.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from shop.logging import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Payments: the sandbox provider unless YooKassa's keys are set.
# The sandbox takes payments (its pages and webhook answer, every page says «Тестовый режим оплаты»);
# production allows it only when told to, for a staging site.
PAYMENT_SANDBOX_ALLOWED = env.bool("PAYMENT_SANDBOX_ALLOWED", default=True)
SANDBOX_PAYMENT_SECRET = env("SANDBOX_PAYMENT_SECRET", default="")
SANDBOX_CALLBACK_MAX_AGE = env.int("SANDBOX_CALLBACK_MAX_AGE", default=300)
YOOKASSA_SHOP_ID = env("YOOKASSA_SHOP_ID", default="")
YOOKASSA_SECRET_KEY = env("YOOKASSA_SECRET_KEY", default="")
YOOKASSA_API_URL = env("YOOKASSA_API_URL", default="https://api.yookassa.ru/v3")
# Seconds one call to a payment provider may take; the buyer is answered within about twice that.
PAYMENT_PROVIDER_TIMEOUT = env.float("PAYMENT_PROVIDER_TIMEOUT", default=4.0)
# A payment or refund the provider has not reported on for this long is read back from its API.
PAYMENT_RECONCILE_AFTER = env.int("PAYMENT_RECONCILE_AFTER", default=5 * 60)

# The YML feed for marketplaces (/feeds/yml.xml): the seller's legal name the feed shows, what every offer says of
# courier delivery, pickup and buying in a store without an order, the seconds an edit waits so that the edits
# around it share one build, and the Retry-After of the answer before the very first build.
FEED_COMPANY = env("FEED_COMPANY", default="ООО «Охрана Плюс»")
FEED_DELIVERY = env.bool("FEED_DELIVERY", default=True)
FEED_PICKUP = env.bool("FEED_PICKUP", default=True)
FEED_STORE = env.bool("FEED_STORE", default=False)
FEED_REBUILD_DELAY = env.int("FEED_REBUILD_DELAY", default=60)
FEED_RETRY_AFTER = 120

# After the sale: days the buyer may return goods after receiving them (ЗоЗПП art. 26.1 for distance sales).
ORDER_RETURN_DAYS = env.int("ORDER_RETURN_DAYS", default=7)

# Exchange with 1C (/1c/exchange/, CommerceML): the folder of the sessions' files (empty: exchange_1c under
# PRIVATE_MEDIA_ROOT), the bytes of one posted part (1C splits a larger file), the largest file or unpacked zip,
# the seconds one import step runs before it answers «progress», and the calls one login may make a minute.
EXCHANGE_ROOT = env("EXCHANGE_ROOT", default="")
EXCHANGE_FILE_LIMIT = env.int("EXCHANGE_FILE_LIMIT", default=50 * 1024 * 1024)
EXCHANGE_MAX_FILE_BYTES = env.int("EXCHANGE_MAX_FILE_BYTES", default=2 * 1024**3)
EXCHANGE_STEP_SECONDS = env.float("EXCHANGE_STEP_SECONDS", default=20.0)
EXCHANGE_CALLS_PER_MINUTE = env.int("EXCHANGE_CALLS_PER_MINUTE", default=600)
