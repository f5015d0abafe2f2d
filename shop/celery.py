"""Celery application: tasks run in a worker with a broker, in-process without one."""

import os

from celery import Celery
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from shop.logging import task_context_enter, task_context_leave, task_headers_add

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.local")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id of the code that sends a task travels with it, and the task's log lines carry it.
before_task_publish.connect(task_headers_add, weak=False)
task_prerun.connect(task_context_enter, weak=False)
task_postrun.connect(task_context_leave, weak=False)


@setup_logging.connect
def _use_django_logging(**kwargs):
    """A worker writes the same lines as gunicorn (settings.LOGGING, at LOG_LEVEL) instead of Celery's own."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@app.task(name="shop.ping")
def ping():
    """Answer a liveness probe sent through the broker."""
    return "pong"


@app.task(name="shop.clear_expired_sessions", time_limit=600, soft_time_limit=540)
def clear_expired_sessions():
    """Delete the sessions that have expired (Django's clearsessions)."""
    from django.core.management import call_command

    call_command("clearsessions")
