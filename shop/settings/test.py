"""Test settings: fast hashing, in-memory mail, media in a temporary folder."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="shop-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="shop-test-private-")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Page tests measure the real work; the page cache has tests of its own.
PAGE_CACHE_SECONDS = 0
