"""One JSON line per log record, carrying the request id and user of the request or task it belongs to.

The request id comes from `X-Request-ID` when that is a sane token, or is made here; it is sent back in the
response and travels in the headers of every Celery task the request sends, so a page and its tasks share it.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
# The Celery message header that carries the request id (and the user id) into a worker.
TASK_REQUEST_ID = "shop_request_id"
TASK_USER_ID = "shop_user_id"

_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# What a log record learns about the request or task that emitted it.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
request_var: contextvars.ContextVar = contextvars.ContextVar("request", default=None)
task_user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("task_user_id", default=None)
task_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra` and is written out.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}
# Added by the filter below, written in a fixed place of the line.
_CONTEXT_ATTRIBUTES = {"request_id", "user_id", "task"}
# Django's request logger passes the request object: its path is already in the message.
_SKIPPED_EXTRA = {"request"}


def request_id_from(value: str | None) -> str:
    """The caller's request id when it is a token of at most 64 letters, digits, dots, dashes and underscores."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def current_user_id() -> int | None:
    """The signed-in user of the current request or task, when it is already known: a log call never queries."""
    request = request_var.get()
    if request is None:
        return task_user_id_var.get()
    # Loading the user here would run a query from inside a log call (as shop.pagecache also avoids).
    if not getattr(request, "user_loaded", False):  # shop.sessions.AuthenticationMiddleware marks it
        return None
    user = request.user
    return user.pk if user.is_authenticated else None


class RequestContextFilter(logging.Filter):
    """Give every record the request id, the user id and the Celery task of the code that logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if getattr(record, "user_id", None) is None:
            try:
                record.user_id = current_user_id()
            except Exception:
                record.user_id = None
        if getattr(record, "task", None) is None:
            record.task = task_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request and user ids, `extra` and the error."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        if task := getattr(record, "task", None):
            line["task"] = task
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in _CONTEXT_ATTRIBUTES and key not in _SKIPPED_EXTRA:
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """A key=value line for reading in a terminal (`LOG_FORMAT=text`)."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds")
        parts = [when, record.levelname, record.name, f"request_id={getattr(record, 'request_id', None) or '-'}"]
        if user_id := getattr(record, "user_id", None):
            parts.append(f"user_id={user_id}")
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in _CONTEXT_ATTRIBUTES and key not in _SKIPPED_EXTRA:
                parts.append(f"{key}={value}")
        text = " ".join(parts) + " " + record.getMessage()
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


# Celery: the ids go out in the task's headers and are taken up by the worker around the task's run.
_task_tokens: dict[str, tuple] = {}


def task_headers_add(headers: dict | None = None, **kwargs) -> None:
    """before_task_publish: put the current request id and user id in the message headers."""
    if headers is None:
        return
    request_id = request_id_var.get()
    if request_id and TASK_REQUEST_ID not in headers:
        headers[TASK_REQUEST_ID] = request_id
        user_id = current_user_id()
        if user_id is not None:
            headers[TASK_USER_ID] = user_id


def _task_header(task, name: str):
    request = task.request
    return (getattr(request, "headers", None) or {}).get(name) or getattr(request, name, None)


def task_context_enter(task_id: str | None = None, task=None, **kwargs) -> None:
    """task_prerun: log the task's lines under the request id it was sent with (a task run in-process keeps the
    caller's; a periodic one gets its own)."""
    if task is None or task_id is None:
        return
    request_id = _task_header(task, TASK_REQUEST_ID) or request_id_var.get() or uuid.uuid4().hex
    user_id = _task_header(task, TASK_USER_ID)
    if user_id is None:
        user_id = current_user_id()
    _task_tokens[task_id] = (
        request_id_var.set(request_id_from(str(request_id))),
        request_var.set(None),
        task_user_id_var.set(user_id),
        task_var.set(task.name),
    )


def task_context_leave(task_id: str | None = None, **kwargs) -> None:
    """task_postrun: give back the context the task found (the page's own, for a task run in-process)."""
    tokens = _task_tokens.pop(task_id, None)
    if tokens is None:
        return
    id_token, request_token, user_token, task_token = tokens
    task_var.reset(task_token)
    task_user_id_var.reset(user_token)
    request_var.reset(request_token)
    request_id_var.reset(id_token)


# Sentry: what is sent is scrubbed of personal data, whatever part of the event holds it.
FILTERED = "[Filtered]"
_PERSONAL_KEYS = re.compile(
    r"cookie|authorization|password|passwd|secret|token|session|csrf|api[_-]?key|e-?mail|phone|"
    r"ip_address|remote_addr|x[-_]forwarded[-_]for|x[-_]real[-_]ip|address|passport|(?:^|_)(?:inn|card)(?:_|$)",
    re.IGNORECASE,
)
# Also as a query string spells them (%40, %2B).
_EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
# Russian numbers as people write them: +7 or 8, then ten digits with optional spaces, dashes and brackets.
_PHONE = re.compile(r"(?<![\w+])(?:\+7|%2B7|8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)")


def _scrub(value):
    if isinstance(value, str):
        return _PHONE.sub(FILTERED, _EMAIL.sub(FILTERED, value))
    if isinstance(value, dict):
        return {
            key: FILTERED if isinstance(key, str) and _PERSONAL_KEYS.search(key) else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        # Headers come as [name, value] pairs.
        if len(value) == 2 and isinstance(value[0], str) and _PERSONAL_KEYS.search(value[0]):
            return [value[0], FILTERED]
        return [_scrub(item) for item in value]
    return value


def sentry_scrub(event: dict, hint: dict | None = None) -> dict:
    """before_send: drop who the user is (but their id) and mask emails, phones, cookies and addresses anywhere."""
    user = event.get("user") or {}
    event = _scrub({key: value for key, value in event.items() if key != "user"})
    if "id" in user:
        event["user"] = {"id": user["id"]}
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
    request_id = request_id_var.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Send errors of Django, Celery and Redis calls to Sentry, without personal data."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.redis import RedisIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration(), RedisIntegration()],
        send_default_pii=False,
        before_send=sentry_scrub,
        traces_sample_rate=traces_sample_rate,
    )
