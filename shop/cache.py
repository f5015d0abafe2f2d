"""Django's Redis cache, failing soft while Redis is away, and keeping one client per connection pool.

A shop must keep selling while its cache is stopped or frozen. Every call has short connect and read
timeouts (set in the settings); a failed call logs once per outage and answers like a miss (`get` gives
the default, `set` stores nothing). For a few seconds after a failure Redis is not asked at all, so a
frozen server costs one timeout per process, not one per call; then it is tried again, so the cache
comes back without a restart.

With the `LOCAL_FALLBACK` option the calls go to a memory cache in the process instead while Redis is
away: the rate limits keep counting (per process) instead of turning into misses that would either let
every guess through or, for allauth's `add`-based lock, refuse every login.

Django builds a new `redis.Redis` object for every cache call, and redis-py fills a table of ~170
response callbacks in each constructor: a tenth of a millisecond per call on a page served from the
cache. A client is thread-safe and holds no connection of its own, so one per pool serves every call.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from core.caches import add_each

logger = logging.getLogger(__name__)

# Redis is not asked again for this many seconds after a failure.
RETRY_AFTER_SECONDS = 5.0


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def add_many(self, data: dict, timeout) -> dict:
        """Add every key that is absent and return what each key holds afterwards: one round trip."""
        pipeline = self.get_client(write=True).pipeline(transaction=False)
        for key, value in data.items():
            pipeline.set(key, self._serializer.dumps(value), nx=True, ex=timeout)
            pipeline.get(key)
        results = pipeline.execute()
        return {
            key: self._serializer.loads(raw) for key, raw in zip(data, results[1::2], strict=True) if raw is not None
        }


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
        outage = self._outage
        if not outage.skipping():
            try:
                result = redis_method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                outage.failed(error, fallback="from memory" if self._fallback is not None else "with misses")
            else:
                outage.succeeded()
                return result
        if self._fallback is not None:
            if local is not None:
                return local(self._fallback, *args, **kwargs)
            return getattr(self._fallback, method_name)(*args, **kwargs)
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
        self._class = ReusingRedisCacheClient
        self._outage = _outage_for(f"{server}|{params.get('KEY_PREFIX', '')}")
        self._fallback = None
        if local_fallback:
            fallback_params = {k: v for k, v in params.items() if k != "OPTIONS"}
            self._fallback = LocMemCache(f"fallback:{server}", {**fallback_params, "OPTIONS": {"MAX_ENTRIES": 100_000}})

    def validate_key(self, key):
        # Django warns of keys memcached would refuse (over 250 characters, spaces). Redis takes any key,
        # and the check costs 3 µs a key through a lazily compiled pattern: a listing page asks for about a
        # hundred keys on a miss.
        pass

    def _add_many(self, data: dict, timeout=DEFAULT_TIMEOUT, version=None) -> dict:
        keys = {self.make_and_validate_key(key, version=version): key for key in data}
        timeout = self.get_backend_timeout(timeout)
        held = self._cache.add_many({made: data[key] for made, key in keys.items()}, timeout)
        return {keys[made]: value for made, value in held.items()}

    def ping(self) -> bool:
        """Ask Redis directly, with the configured timeouts; raise when it does not answer."""
        return self._cache.get_client(write=True).ping()

    add = _fail_soft("add", True)
    get = _fail_soft("get", _get_default)
    set = _fail_soft("set", None)
    touch = _fail_soft("touch", False)
    delete = _fail_soft("delete", False)
    get_many = _fail_soft("get_many", lambda *args, **kwargs: {})
    has_key = _fail_soft("has_key", False)
    incr = _fail_soft("incr", _incr_missing)
    set_many = _fail_soft("set_many", lambda *args, **kwargs: [])
    delete_many = _fail_soft("delete_many", None)
    clear = _fail_soft("clear", False)
    # While Redis is away every value counts as added, as `add` answers True.
    add_many = _fail_soft("add_many", lambda data, *args, **kwargs: dict(data), redis_method=_add_many, local=add_each)
