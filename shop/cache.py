"""Django's Redis cache, failing soft while Redis is away (public methods of Django's backend only).

Every call has short timeouts (settings); a failed call logs once per outage and answers like a miss, and
Redis is not asked again for a few seconds. With `LOCAL_FALLBACK` the calls go to a memory cache in the
process meanwhile, so rate limits keep counting. Reads and writes use one client per cache (the `*_now`
methods; Django's backend makes a `redis.Redis` for every call, about 100 µs); `add_many` adds keys in one round
trip (a pipeline).
"""

import logging
import re
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisSerializer
from redis import Redis
from redis.exceptions import RedisError

from core.caches import add_each

logger = logging.getLogger(__name__)

# Redis is not asked again for this many seconds after a failure.
RETRY_AFTER_SECONDS = 5.0


class _Outage:
    """Whether Redis is away, shared by every thread of the process for one cache location."""

    def __init__(self, name: str):
        self.name = name
        self.down_until = 0.0
        self.lock = threading.Lock()

    def skipping(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, error: Exception, *, fallback: str) -> None:
        with self.lock:
            first = self.down_until == 0.0
            self.down_until = time.monotonic() + RETRY_AFTER_SECONDS
        if first:
            logger.warning("Cache %s is unavailable, answering %s: %r", self.name, fallback, error)

    def succeeded(self) -> None:
        if self.down_until:
            with self.lock:
                self.down_until = 0.0
            logger.warning("Cache %s is available again", self.name)


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(name: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(name, _Outage(name))


def _fail_soft(method_name: str, default, *, redis_method=None, local=None):
    """The method, answering `default` while Redis is away, or asking the local fallback (with `local`
    when the memory cache has no such method)."""
    redis_method = redis_method or getattr(RedisCache, method_name)

    def method(self, *args, **kwargs):
        outage = self.outage
        if not outage.skipping():
            try:
                result = redis_method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                outage.failed(error, fallback="from memory" if self.fallback is not None else "with misses")
            else:
                outage.succeeded()
                return result
        if self.fallback is not None:
            if local is not None:
                return local(self.fallback, *args, **kwargs)
            return getattr(self.fallback, method_name)(*args, **kwargs)
        return default(*args, **kwargs) if callable(default) else default

    method.__name__ = method_name
    method.__doc__ = redis_method.__doc__
    return method


def _get_default(key, default=None, version=None):
    return default


def _incr_missing(key, delta=1, version=None):
    # A counter that cannot be read is missing, as Django's other backends say of an absent key.
    raise ValueError(f"Key '{key}' not found")


class ShopRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        local_fallback = options.pop("LOCAL_FALLBACK", False)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.outage = _outage_for(f"{server}|{params.get('KEY_PREFIX', '')}")
        # The primary (the first server, where Django writes) for a pipeline and a ping of our own.
        timeouts = {k: v for k, v in options.items() if k in ("socket_connect_timeout", "socket_timeout")}
        self.primary = Redis.from_url(re.split("[;,]", server)[0], **timeouts)
        self.serializer = RedisSerializer()
        self.fallback = None
        if local_fallback:
            fallback_params = {k: v for k, v in params.items() if k != "OPTIONS"}
            self.fallback = LocMemCache(f"fallback:{server}", {**fallback_params, "OPTIONS": {"MAX_ENTRIES": 100_000}})

    def validate_key(self, key):
        # Django warns of keys memcached would refuse (over 250 characters, spaces). Redis takes any key,
        # and the check costs 3 µs a key through a lazily compiled pattern: a listing page asks for about a
        # hundred keys on a miss.
        pass

    def add_many_now(self, data: dict, timeout=DEFAULT_TIMEOUT, version=None) -> dict:
        """Add every key that is absent and return what each key holds afterwards: one round trip."""
        keys = {self.make_and_validate_key(key, version=version): key for key in data}
        timeout = self.get_backend_timeout(timeout)
        pipeline = self.primary.pipeline(transaction=False)
        for made, key in keys.items():
            pipeline.set(made, self.serializer.dumps(data[key]), nx=True, ex=timeout)
            pipeline.get(made)
        results = pipeline.execute()
        return {
            key: self.serializer.loads(raw)
            for key, raw in zip(keys.values(), results[1::2], strict=True)
            if raw is not None
        }

    def get_now(self, key, default=None, version=None):
        """`get` on the primary's one client: Django's backend makes a new `redis.Redis` for every call."""
        value = self.primary.get(self.make_and_validate_key(key, version=version))
        return default if value is None else self.serializer.loads(value)

    def get_many_now(self, keys, version=None) -> dict:
        """`get_many` on the primary's one client, as `get_now`."""
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        values = self.primary.mget(list(made)) if made else []
        return {made[k]: self.serializer.loads(v) for k, v in zip(made, values, strict=True) if v is not None}

    def set_now(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        """`set` on the primary's one client, as Django's backend does it (a timeout of 0 deletes)."""
        key, timeout = self.make_and_validate_key(key, version=version), self.get_backend_timeout(timeout)
        if timeout == 0:
            self.primary.delete(key)
        else:
            self.primary.set(key, self.serializer.dumps(value), ex=timeout)

    def add_now(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        """`add` on the primary's one client, as Django's backend does it."""
        key, timeout = self.make_and_validate_key(key, version=version), self.get_backend_timeout(timeout)
        added = bool(self.primary.set(key, self.serializer.dumps(value), nx=True, ex=timeout or None))
        if added and timeout == 0:
            self.primary.delete(key)
        return added

    def set_many_now(self, data: dict, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        """`set_many` on the primary's one client: one round trip, each key written with its expiry."""
        timeout = self.get_backend_timeout(timeout)
        pipeline = self.primary.pipeline(transaction=False)
        for key, value in data.items():
            made = self.make_and_validate_key(key, version=version)
            if timeout == 0:
                pipeline.delete(made)
            else:
                pipeline.set(made, self.serializer.dumps(value), ex=timeout)
        if data:
            pipeline.execute()
        return []

    def delete_now(self, key, version=None) -> bool:
        return bool(self.primary.delete(self.make_and_validate_key(key, version=version)))

    def delete_many_now(self, keys, version=None) -> None:
        if keys:
            self.primary.delete(*(self.make_and_validate_key(key, version=version) for key in keys))

    def ping(self) -> bool:
        """Ask Redis directly, with the configured timeouts; raise when it does not answer."""
        return self.primary.ping()

    add = _fail_soft("add", True, redis_method=add_now)
    get = _fail_soft("get", _get_default, redis_method=get_now)
    set = _fail_soft("set", None, redis_method=set_now)
    touch = _fail_soft("touch", False)
    delete = _fail_soft("delete", False, redis_method=delete_now)
    get_many = _fail_soft("get_many", lambda *args, **kwargs: {}, redis_method=get_many_now)
    has_key = _fail_soft("has_key", False)
    incr = _fail_soft("incr", _incr_missing)
    set_many = _fail_soft("set_many", lambda *args, **kwargs: [], redis_method=set_many_now)
    delete_many = _fail_soft("delete_many", None, redis_method=delete_many_now)
    clear = _fail_soft("clear", False)
    # While Redis is away every value counts as added, as `add` answers True.
    add_many = _fail_soft(
        "add_many", lambda data, *args, **kwargs: dict(data), redis_method=add_many_now, local=add_each
    )
