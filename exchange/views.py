"""/1c/exchange/: the CommerceML protocol as a stock 1C speaks it (1C is the client; one URL, mode by mode).

Every answer is text/plain in windows-1251 whose first line is success, progress or failure (the orders of
type=sale&mode=query are the CommerceML document itself, and mode=init answers its two parameters).
"""

import base64
import binascii
import logging
import time

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from exchange.exceptions import ExchangeRefused
from exchange.models import ExchangeKind
from exchange.services import sessions
from exchange.services.files import file_receive, zips_unpack
from exchange.services.importing import file_import_step, unload_withdraw_missing
from exchange.services.sale import orders_export, orders_export_commit, orders_import

logger = logging.getLogger(__name__)

HTTPS_ONLY = "Обмен возможен только по HTTPS"
POST_ONLY = "Файл передаётся методом POST"
NO_FILENAME = "Не указано имя файла"
UNKNOWN_MODE = "Неизвестный режим обмена"
INTERNAL = "Обмен прерван из-за ошибки на сайте, повторите позже"


def _answer(*lines: str, status: int = 200) -> HttpResponse:
    body = "\n".join(lines).encode("windows-1251", errors="replace")
    response = HttpResponse(body, content_type="text/plain; charset=windows-1251", status=status)
    return response


def _failure(message: str, status: int = 200) -> HttpResponse:
    return _answer("failure", message, status=status)


def _basic_credentials(request) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    for encoding in ("utf-8", "windows-1251"):  # 1C sends a Cyrillic login in either
        try:
            login, _, password = raw.decode(encoding).partition(":")
            return login, password
        except UnicodeDecodeError:
            continue
    return None


def _setting(name: str, default):
    return getattr(settings, name, default)


@csrf_exempt
@never_cache
def exchange(request):
    """Answer one call of 1C."""
    mode = request.GET.get("mode", "")
    kind = request.GET.get("type", "catalog")
    session = None
    try:
        if _setting("SECURE_SSL_REDIRECT", False) and not request.is_secure():
            return _failure(HTTPS_ONLY, status=403)
        if kind not in ExchangeKind.values:
            return _failure(UNKNOWN_MODE)
        credentials = _basic_credentials(request)
        token = request.COOKIES.get(sessions.COOKIE_NAME, "")
        login = credentials[0] if credentials else f"cookie:{token[:16]}"
        if not sessions.rate_allows(login=login, per_minute=_setting("EXCHANGE_CALLS_PER_MINUTE", 600)):
            return _failure(sessions.TOO_MANY, status=429)
        if mode == "checkauth":
            user = sessions.exchange_user(login=credentials[0], password=credentials[1]) if credentials else None
            if user is None:
                response = _failure(sessions.BAD_LOGIN, status=401)
                response["WWW-Authenticate"] = 'Basic realm="1C exchange", charset="UTF-8"'
                return response
            session, token = sessions.session_start(user=user, kind=kind)
            sessions.step_log(session=session, mode=mode, filename="", answer="success")
            return _answer("success", sessions.COOKIE_NAME, token, f"sessid={token}", f"timestamp={int(time.time())}")
        session = sessions.session_of(token=token)
        if session is None:
            return _failure(sessions.NO_SESSION, status=401)
        response, answer, message = _mode(request, session, mode, kind)
        sessions.step_log(
            session=session, mode=mode, filename=request.GET.get("filename", ""), answer=answer, message=message
        )
        return response
    except ExchangeRefused as refused:
        sessions.step_log(
            session=session,
            mode=mode,
            filename=request.GET.get("filename", ""),
            answer="failure",
            message=str(refused),
            line=refused.line,
        )
        return _failure(str(refused))
    except Exception:
        # 1C shows the message and may retry; a traceback page would tell it nothing.
        logger.exception("1C exchange failed at mode=%s", mode)
        return _failure(INTERNAL)


def _mode(request, session, mode: str, kind: str) -> tuple[HttpResponse, str, str]:
    filename = request.GET.get("filename", "")
    if mode == "init":
        sessions.session_init(session=session)
        limit = _setting("EXCHANGE_FILE_LIMIT", 50 * 1024 * 1024)
        return _answer("zip=yes", f"file_limit={limit}"), "init", ""
    if mode == "file":
        if request.method != "POST":
            raise ExchangeRefused(POST_ONLY)
        if not filename:
            raise ExchangeRefused(NO_FILENAME)
        record = file_receive(
            session=session,
            name=filename,
            stream=request,
            limit=_setting("EXCHANGE_FILE_LIMIT", 50 * 1024 * 1024),
            max_total=_setting("EXCHANGE_MAX_FILE_BYTES", 2 * 1024**3),
        )
        return _answer("success"), "success", f"{record.size} байт, частей: {record.parts}"
    if mode == "import":
        if not filename:
            raise ExchangeRefused(NO_FILENAME)
        zips_unpack(session=session, max_bytes=_setting("EXCHANGE_MAX_FILE_BYTES", 2 * 1024**3))
        if kind == ExchangeKind.SALE:
            moved = orders_import(session=session, name=filename, author=session.user)
            return _answer("success", f"Изменено заказов: {moved}"), "success", f"заказов изменено: {moved}"
        step = file_import_step(session=session, name=filename, seconds=_setting("EXCHANGE_STEP_SECONDS", 20))
        if not step.done:
            return _answer("progress", step.message), "progress", step.message
        return _answer("success", step.message), "success", step.message
    if mode in ("deactivate", "complete"):
        withdrawn = unload_withdraw_missing(session=session) if kind == ExchangeKind.CATALOG else 0
        if mode == "complete":
            sessions.session_complete(session=session)
        note = f"снято с продажи: {withdrawn}" if withdrawn else ""
        return _answer("success", note), "success", note
    if kind == ExchangeKind.SALE and mode == "query":
        body = orders_export(session=session)
        return HttpResponse(body, content_type="application/xml; charset=windows-1251"), "query", f"{len(body)} байт"
    if kind == ExchangeKind.SALE and mode == "success":
        orders_export_commit(session=session)
        return _answer("success"), "success", ""
    raise ExchangeRefused(UNKNOWN_MODE)
