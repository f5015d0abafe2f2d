"""Development settings for `make run`: SQLite by default, tasks in-process, mail to the console.

`make run` shows the demo shop as a customer sees it: the shop's own 404 and 500 pages, and static files
collected, compressed and served by WhiteNoise as in production. `DJANGO_DEBUG=true make run` brings back
Django's debug pages and serves static files straight from the source folders, so edits show at once.
"""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, STORAGES, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-only")
# Uploaded pictures of the demo catalog, served by Django itself (production uses a web server or a bucket).
SERVE_MEDIA = True
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
if not DEBUG:
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
