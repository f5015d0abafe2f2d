"""The shop's WSGI application counting grouped-count SQL statements, for the stampede measurement.

    gunicorn bench.sqlcount:application

Every statement with both COUNT( and GROUP BY (on a category page: the brand and attribute counts of
the filter panel) adds one to a counter in the "catalog" cache, which the workers and the benchmark share
when it is Redis (bench/stampede.py reads it). Only this application counts; the one measured for
throughput runs without the wrapper.
"""

from django.core.cache import caches
from django.db.backends.signals import connection_created

from bench.stampede import COUNTER_KEY, is_grouped_count
from shop.wsgi import application

__all__ = ["application"]


def _count(execute, sql, params, many, context):
    if is_grouped_count(sql):
        cache = caches["catalog"]
        try:
            cache.incr(COUNTER_KEY)
        except ValueError:  # no counter yet
            cache.add(COUNTER_KEY, 0, timeout=None)
            cache.incr(COUNTER_KEY)
    return execute(sql, params, many, context)


def _install(sender, connection, **kwargs):
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


connection_created.connect(_install, dispatch_uid="bench-sqlcount")
