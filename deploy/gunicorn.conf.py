"""Gunicorn for the shop: `gunicorn -c deploy/gunicorn.conf.py shop.wsgi:application`.

Every value can be changed from the environment (the systemd unit's EnvironmentFile or docker compose).
"""

import multiprocessing
import os

# Behind nginx on the same host; docker compose sets GUNICORN_BIND=0.0.0.0:8000 inside the container.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A worker busy longer than this is killed and replaced; nginx's proxy_read_timeout is a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# X-Forwarded-Proto is believed only from nginx on this host (or the compose network).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = False

# One line per request on stdout, one JSON-ish object per line as the application's own log is:
# the journal (systemd) or `docker compose logs` collects it.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "forwarded_for": "%({x-forwarded-for}i)s", "method": "%(m)s", '
    '"path": "%(U)s", "query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"referer": "%(f)s", "user_agent": "%(a)s"}'
)
