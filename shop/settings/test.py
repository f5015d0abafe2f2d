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
# The suite's cache keys carry their own prefix, and the suite clears only those (conftest.py): a Redis
# that REDIS_URL names is never flushed, even when it is not the throwaway one .ci/with-services starts.
TEST_CACHE_KEY_PREFIX = "shoptest"
for _alias, _config in CACHES.items():
    _config["KEY_PREFIX"] = f"{TEST_CACHE_KEY_PREFIX}-{_alias}"
# Page tests measure the real work; the page cache has tests of its own.
PAGE_CACHE_SECONDS = 0
