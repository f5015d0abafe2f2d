"""The shop's WSGI application counting builds of category stores, for the stampede measurement.

    gunicorn bench.buildcount:application

Importing this module wraps `catalog.facets.store_build` (reading a category's products into the columns
that its filter counts and listing come from) so that every call adds one to a counter in the "catalog"
cache, which the workers and the benchmark share when it is Redis (bench/stampede.py reads it). Only this
application counts; the one measured for throughput runs without the wrapper.
"""

from bench.stampede import count_builds
from shop.wsgi import application

__all__ = ["application"]


def _install() -> None:
    from catalog import facets  # only now: importing shop.wsgi has set Django up, which the models need

    if not getattr(facets.store_build, "counts_builds", False):
        facets.store_build = count_builds(facets.store_build)


_install()
