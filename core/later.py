"""Work that can wait until the answer has left: the cache writes of a page that was not in the cache.

Within `collecting()` (the page cache opens it) `after_response` keeps the work, and the `request_finished`
signal, sent from the response's `close()` once the server has sent it, runs it; outside a request, at once.
"""

import threading
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.core.signals import request_finished
from django.dispatch import receiver

_pending: ContextVar[list | None] = ContextVar("core_later_pending", default=None)
_closing = threading.local()


@contextmanager
def collecting():
    """Keep what `after_response` is given within the block; yield the list it fills."""
    pending: list[Callable[[], object]] = []
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)


def after_response(function: Callable, /, *args, **kwargs) -> None:
    """Run the function once the answer has been sent, or now outside `collecting()`."""
    pending = _pending.get()
    if pending is None:
        function(*args, **kwargs)
    else:
        pending.append(partial(function, *args, **kwargs))


def run_on_close(response, pending: list) -> None:
    """Have the pending work run when the server closes the response, after sending it."""
    if pending:
        _closing.__dict__.setdefault("work", []).extend(pending)


@receiver(request_finished, dispatch_uid="core.later.run_pending")
def _run_pending(**kwargs) -> None:
    work, _closing.work = getattr(_closing, "work", []), []
    for function in work:
        function()
