"""Celery application: tasks run in a worker with a broker, in-process without one."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.local")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="shop.ping")
def ping():
    """Answer a liveness probe sent through the broker."""
    return "pong"


@app.task(name="shop.clear_expired_sessions", time_limit=600, soft_time_limit=540)
def clear_expired_sessions():
    """Delete the sessions that have expired (Django's clearsessions)."""
    from django.core.management import call_command

    call_command("clearsessions")
