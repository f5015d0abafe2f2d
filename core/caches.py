"""What the shop asks of any Django cache beyond Django's own methods."""

from django.core.cache.backends.base import DEFAULT_TIMEOUT


def add_each(cache, data: dict, timeout=DEFAULT_TIMEOUT, version=None) -> dict:
    """`add_many` for a cache that has none (the memory caches): add each key, return what each holds."""
    for key, value in data.items():
        if not cache.add(key, value, timeout=timeout, version=version):
            data = {**data, key: cache.get(key, value, version=version)}
    return data


def add_many(cache, data: dict, timeout=DEFAULT_TIMEOUT) -> dict:
    """Add every absent key and return what each key holds afterwards: one round trip on Redis
    (shop.cache), a key at a time on the memory caches."""
    if hasattr(cache, "add_many"):
        return cache.add_many(data, timeout=timeout)
    return add_each(cache, data, timeout)
