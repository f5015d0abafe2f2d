"""A visitor as a part of a cache key: the account, or a digest of a guest's session key (never the key itself)."""

import hashlib


def owner_cache_key(*, user_id: int | None = None, session_key: str | None = None) -> str | None:
    """`user:<id>` for a customer, `guest:<digest>` for a guest with a session, else None."""
    if user_id is not None:
        return f"user:{user_id}"
    if session_key:
        return "guest:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]
    return None
