from pathlib import Path

import pytest

from catalog.tests.conftest import cctv, make_products  # noqa: F401 - fixtures shared with the catalog's tests
from feeds.selectors import feed_local_path
from feeds.services import feed_build
from feeds.validation import validate_yml


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """Each test publishes its feed in a folder of its own."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def build():
    """Build the feed now; return its text after checking it with the validator."""

    def run(*, valid: bool = True) -> str:
        feed_build()
        path = Path(feed_local_path())
        if valid:
            report = validate_yml(path)
            assert report.errors == []
        return path.read_text(encoding="utf-8")

    return run
