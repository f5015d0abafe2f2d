"""Suite-wide fixtures: real services where a test needs them, and a Chromium for journeys.

A test marked `postgres`, `redis` or `browser` skips with a reason when that part is absent,
except under CI=true, where the same absence fails the test.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from such a thread unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Fakes of outside services that tests of several apps use (their fixtures).
pytest_plugins = ["accounts.tests.smsru_fakes"]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SHOP_SCREENSHOTS", "/tmp/shop-screenshots"))


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing_service(reason: str):
    """Skip for want of a real service; under CI the absence is a failure."""
    if _under_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def _postgres_missing() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL or install the postgresql package"
    return None


def _redis_missing() -> str | None:
    if not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL or install the redis-server package"
    return None


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"needs Chromium at {CHROMIUM}: install the chromium package"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs the playwright package"
    return None


CHECKS = {"postgres": _postgres_missing, "redis": _redis_missing, "browser": _browser_missing}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI any skip fails the run, whatever its reason, so no skipped test can hide there."""
    outcome = yield
    if _under_ci():
        fail_skipped(outcome.get_result())


def fail_skipped(report) -> None:
    """Turn a skipped (not xfailed) test report into a failure that keeps the reason."""
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true forbids skipped tests: {reason}"


def pytest_runtest_setup(item):
    for marker, check in CHECKS.items():
        if item.get_closest_marker(marker) and (reason := check()):
            missing_service(reason)


def _load_reference_data():
    from accounts.consent_texts import load_published
    from accounts.models import ConsentText
    from catalog.data.reference import load_reference_data
    from catalog.models import Category, ObjectType
    from core.models import Region

    load_reference_data(region_model=Region, object_type_model=ObjectType, category_model=Category)
    load_published(ConsentText)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may have been emptied by a transactional test: restore reference data."""
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests flush the database when they end; give each one the reference data back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames
    if transactional or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        _load_reference_data()


def clear_test_caches() -> None:
    """Empty every cache of the suite: its own keys only, never a whole Redis database."""
    import redis
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, RedisCache):
            location = settings.CACHES[alias]["LOCATION"]
            with redis.Redis.from_url(location if isinstance(location, str) else location[0]) as client:
                keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
                if keys:
                    client.delete(*keys)
        else:
            cache.clear()


@pytest.fixture(autouse=True)
def _daytime_for_notices(request, monkeypatch):
    """SMS and Telegram notices wait out the quiet hours (22:00–09:00 Moscow), and the suite runs at any hour:
    every moment is daytime to them, except in the tests of those hours, which set the time (`clock`)."""
    if "clock" not in request.fixturenames:
        monkeypatch.setattr("notices.services.quiet_until", lambda at: None)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so cached catalog reads never leak between tests."""
    clear_test_caches()
    yield


@pytest.fixture(autouse=True)
def _catalog_writes_reach_the_caches(request):
    """Fail a test whose code writes a table the catalogue's pages show round `catalog.changes`, the one
    place where caches learn of a change (a raw SQL fix, a queryset of another class)."""
    from django.db import connection

    from catalog import changes

    changes.forget()
    uses_database = "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db")
    if not uses_database or request.node.get_closest_marker("catalog_raw_writes"):
        yield
        return
    request.getfixturevalue("django_db_setup")  # the test database's own migrations are not the tests' writes
    bypassed = []

    def guard(execute, sql, params, many, context):
        table = changes.unsanctioned_table(sql)
        if table:
            bypassed.append(f"{table}: {sql[:160]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(guard):
        yield
    changes.forget()
    assert not bypassed, "writes that skip catalog.changes:\n" + "\n".join(bypassed)


@pytest.fixture
def django_capture_on_commit_callbacks(django_capture_on_commit_callbacks):
    """pytest-django's, with what the test wrote before the block taken as committed long ago: a test's own
    transaction never commits, so the catalogue changes it noted would otherwise join the block's."""
    from contextlib import contextmanager

    from catalog import changes

    @contextmanager
    def capture(**kwargs):
        changes.forget()
        with django_capture_on_commit_callbacks(**kwargs) as callbacks:
            yield callbacks

    return capture


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium shared by the browser tests of one run."""
    if reason := _browser_missing():
        missing_service(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab with its own cookies, pointed at the live test server."""
    context = chromium.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under SHOP_SCREENSHOTS for a person to look at."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
