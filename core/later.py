"""Work that can wait until the answer has left: the cache writes of a page that was not in the cache.

Within `collecting()` (the page cache middleware opens it around every request) `after_response` keeps the
work; the middleware hands it to the response, whose `close()` runs it. A WSGI server calls `close()` once
it has sent the whole answer, so the visitor does not wait for the writes. Outside a request (a task, a
command, a test calling a function) the work runs at once.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

_pending: ContextVar[list | None] = ContextVar("core_later_pending", default=None)


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
    """Have the response run the pending work when the server closes it, after sending it."""
    # Django's own list of what `HttpResponseBase.close()` calls before `request_finished` (FileResponse
    # closes its file through it); there is no public way to add to it.
    response._resource_closers.extend(pending)
