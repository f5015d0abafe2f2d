"""Whose lists a request works with: the customer's account, or a guest's session."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest

from core.owners import owner_cache_key

# Where a guest's session remembers the key its lists were made under, for the merge at login.
GUEST_LISTS_SESSION_KEY = "guest_lists_session_key"


@dataclass(frozen=True)
class Owner:
    """A customer (by id) or a guest (by session key): never both."""

    user_id: int | None = None
    session_key: str = ""

    def q(self) -> Q:
        if self.user_id is not None:
            return Q(user_id=self.user_id)
        return Q(user__isnull=True, session_key=self.session_key)

    def fields(self) -> dict:
        return {"user_id": self.user_id, "session_key": "" if self.user_id is not None else self.session_key}

    @property
    def cache_name(self) -> str:
        """The owner as a part of a cache key, the one the header's cart uses too (shop.personal)."""
        return owner_cache_key(user_id=self.user_id, session_key=self.session_key)


def request_owner(request: HttpRequest, *, create: bool = False) -> Owner | None:
    """The visitor's owner; a guest without a session has none unless `create` starts one."""
    if request.user.is_authenticated:
        return Owner(user_id=request.user.pk)
    session = request.session
    if create:
        # Loading the session forgets a key the store no longer knows, so no list is tied to a dying key.
        session.keys()
        if session.session_key is None:
            session.create()
        session[GUEST_LISTS_SESSION_KEY] = session.session_key
    if not session.session_key:
        return None
    return Owner(session_key=session.session_key)
