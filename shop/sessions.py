"""Sessions kept in the database and read from the fail-soft cache; a customer learnt in one query.

The user is read with whether the session row still exists with the `expire_date` the cached data came
with, so the database wins over a cache that missed a logout or a rewrite during an outage.
"""

import functools
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends import db
from django.core.cache import caches
from django.db import router
from django.db.models import Exists
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from core.sql import Prepared, prepare


class SessionStore(db.SessionStore):
    """Django's database store with its data also in the cache, as `cached_db` keeps it, plus the row's
    `expire_date` beside the data (public methods of the database store only)."""

    cache_key_prefix = "session:"

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.cache = caches[settings.SESSION_CACHE_ALIAS]
        # The expire_date of the row the data in hand came from, when it came from the cache.
        self.cached_expiry = None
        self.written = None  # (data, expire_date) of the last row this store wrote

    @property
    def cache_key(self) -> str:
        return f"{self.cache_key_prefix}{self.session_key}"

    def load(self):
        self.cached_expiry = None
        if self.session_key:
            entry = self.cache.get(self.cache_key)  # fail-soft: an error answers like a miss
            if isinstance(entry, tuple) and len(entry) == 2:
                data, self.cached_expiry = entry
                return data
            row = (
                self.get_model_class()
                .objects.filter(session_key=self.session_key, expire_date__gt=timezone.now())
                .first()
            )
            if row is not None:
                data = self.decode(row.session_data)
                self.cache.set(self.cache_key, (data, row.expire_date), self.get_expiry_age(expiry=row.expire_date))
                return data
        # No such session: the database store forgets the key it was given (no session fixation).
        return super().load()

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        self.written = (data, instance.expire_date)
        return instance

    def save(self, must_create=False):
        super().save(must_create)
        if self.written is not None:
            self.cache.set(self.cache_key, self.written, self.get_expiry_age())
        self.cached_expiry = None

    def delete(self, session_key=None):
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            self.cache.delete(f"{self.cache_key_prefix}{key}")


def session_reloaded(request) -> None:
    """Drop the visitor's cached session and take it as the database holds it (nothing if it is gone)."""
    session = request.session
    if session.session_key:
        session.cache.delete(session.cache_key)
    request.session = type(session)(session.session_key)


# Stand-ins for one request's values in the query compiled once per process (`_user_query`).
_STANDINS = {
    "user": -917_364_529,
    "session": "\x01session-standin\x01",
    "expiry": datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=UTC),
    "now": datetime(1902, 3, 4, 5, 6, 7, 890_123, tzinfo=UTC),
}


@functools.cache
def _user_query(alias: str) -> tuple[Prepared, tuple[str, ...]]:
    """The user with whether their session row is current, compiled once per process (core.sql), and the
    user's columns: building and compiling the queryset costs more than running it."""
    user_model = get_user_model()
    fields = tuple(f.attname for f in user_model._meta.concrete_fields)

    def build(user, session, expiry, now):
        current = SessionStore.get_model_class().objects.filter(
            session_key=session, expire_date=expiry, expire_date__gt=now
        )
        users = user_model._default_manager.filter(pk=user).annotate(session_current=Exists(current))
        return users.values_list(*fields, "session_current")

    return prepare(build, using=alias, **_STANDINS), fields


def _user_with_current_session(session, user_id):
    """The user, or None when the session row is gone, expired or not the one the cached data came from."""
    user_model = get_user_model()
    alias = router.db_for_read(user_model)
    query, fields = _user_query(alias)
    rows = query.rows(
        alias, user=user_id, session=session.session_key, expiry=session.cached_expiry, now=timezone.now()
    )
    if not rows or not rows[0][-1]:
        return None
    return user_model.from_db(alias, fields, rows[0][:-1])


def get_user(request):
    """The visitor's user as django.contrib.auth.get_user finds it, in one query for a session from the cache."""
    session = request.session
    user_id, backend_path = session.get(SESSION_KEY), session.get(BACKEND_SESSION_KEY)
    if (
        user_id is None
        or getattr(session, "cached_expiry", None) is None
        or backend_path not in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user(request)
    backend = load_backend(backend_path)
    # Only backends that load the user by primary key as ModelBackend does, so the query below is theirs.
    if not isinstance(backend, ModelBackend) or type(backend).get_user is not ModelBackend.get_user:
        return auth.get_user(request)
    try:
        user_id = get_user_model()._meta.pk.to_python(user_id)
    except Exception:
        return auth.get_user(request)
    user = _user_with_current_session(session, user_id)
    if user is None:
        # The cache held something the database no longer does: the database decides.
        session_reloaded(request)
        return auth.get_user(request)
    if not backend.user_can_authenticate(user):
        return AnonymousUser()
    session_hash = session.get(HASH_SESSION_KEY)
    if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
        return user
    # A hash of a fallback secret (the session is rotated) or a stale one (the session ends): Django's own path.
    return auth.get_user(request)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's middleware, learning the user through `get_user` above."""

    def process_request(self, request):
        super().process_request(request)
        request.user_loaded = False  # see loaded_user

        def load():
            request.user_loaded = True
            return get_user(request)

        request.user = SimpleLazyObject(load)


def loaded_user(request):
    """The request's user if something has loaded it already, else None: for code that must not query."""
    return request.user if getattr(request, "user_loaded", False) else None
