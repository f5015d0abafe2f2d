"""Tasks sent once the transaction commits, by their registered name: a service never imports its app's tasks."""

import logging
from functools import partial
from importlib import import_module

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_after_commit(task, /, **kwargs) -> None:
    """Send a task (its name, or the task) once the current transaction commits; a broker that is down is
    logged, not raised: a periodic sweep makes later what the task would have made, so a payment never fails."""
    transaction.on_commit(partial(send, task, kwargs))


def send(task, kwargs: dict) -> None:
    """Send a task now; log a broker that refuses it."""
    if isinstance(task, str):
        if task not in current_app.tasks:
            # A task is named "<app>.<what>" and lives in <app>/tasks.py, which a web process imports on first need.
            import_module(f"{task.partition('.')[0]}.tasks")
        task = current_app.tasks[task]
    found = task
    try:
        found.delay(**kwargs)
    except Exception:
        logger.exception("could not enqueue %s %s", found.name, kwargs)
