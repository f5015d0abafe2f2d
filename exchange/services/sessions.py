"""Who may exchange, and the session 1C carries in its cookie from checkauth to complete."""

import hashlib
import secrets

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.utils import timezone

from exchange.models import ExchangeEntry, ExchangeKind, ExchangeSession
from exchange.services.files import folder_remove, folder_reset, folders_sweep

PERMISSION = "exchange.exchange_1c"
COOKIE_NAME = "exchange_1c"
BAD_LOGIN = "Неверный логин или пароль, или нет права «Обмен с 1С»"
NO_SESSION = "Нет сессии обмена: начните с mode=checkauth"
# A folder untouched this long belongs to an exchange that will not go on.
FOLDER_KEEP_SECONDS = 24 * 60 * 60
TOO_MANY = "Слишком много запросов, повторите через минуту"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def exchange_user(*, login: str, password: str):
    """The active staff user with the exchange permission these credentials name, or None."""
    user = authenticate(username=login, password=password)
    if user is None or not user.is_active or not user.is_staff or not user.has_perm(PERMISSION):
        return None
    return user


def rate_allows(*, login: str, per_minute: int) -> bool:
    """Count a call of this login in the current minute; False past the limit."""
    who = hashlib.sha256(login.lower().encode()).hexdigest()[:24]
    key = f"exchange:rate:{who}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) <= per_minute
    except ValueError:  # evicted meanwhile
        return True


def session_start(*, user, kind: str) -> tuple[ExchangeSession, str]:
    """mode=checkauth: a new session and the cookie value that names it."""
    token = secrets.token_urlsafe(24)
    folders_sweep(older_than_seconds=FOLDER_KEEP_SECONDS)
    session = ExchangeSession.objects.create(
        user=user,
        kind=ExchangeKind(kind),
        token_digest=_digest(token),
        folder=f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}",
    )
    return session, token


def session_of(*, token: str) -> ExchangeSession | None:
    """The open session the cookie names, while its user may still exchange."""
    if not token:
        return None
    session = (
        ExchangeSession.objects.select_related("user")
        .filter(token_digest=_digest(token), completed_at__isnull=True)
        .first()
    )
    user = session.user if session is not None else None
    if user is None or not user.is_active or not user.is_staff or not user.has_perm(PERMISSION):
        return None
    return session


def session_init(*, session: ExchangeSession) -> None:
    """mode=init: a fresh, empty exchange folder."""
    folder_reset(session=session)


def session_complete(*, session: ExchangeSession) -> None:
    """mode=complete: the session ends, its cookie stops working and its files go."""
    ExchangeSession.objects.filter(pk=session.pk, completed_at__isnull=True).update(completed_at=timezone.now())
    folder_remove(session=session)


def step_log(
    *, session: ExchangeSession | None, mode: str, filename: str, answer: str, message: str = "", line=None
) -> None:
    """Record one call of 1C and what the shop answered."""
    if session is None:
        return
    ExchangeEntry.objects.create(
        session=session,
        mode=mode[:20],
        filename=filename[:255],
        answer=answer,
        message=message,
        line=line,
        is_error=answer == "failure",
    )
