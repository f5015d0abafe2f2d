"""Production settings plus the benchmark's URLs (a trivial view to compare pages with)."""

from shop.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The benchmark seeds its own throwaway database.
SHOP_DEMO_DATA_ALLOWED = True
