"""`make bench`'s page weight: bytes a browser transfers, first visit and repeat visit."""

import pytest

from bench import page_weight

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_repeat_visit_takes_static_files_from_the_browser_cache(chromium, live_server):
    (home,) = page_weight.measure(live_server.url, ["/"], browser=chromium)

    assert home.path == "/"
    assert home.requests >= 4  # the page, its stylesheets, its script, its icon
    assert home.first_kib > 30  # Bootstrap's stylesheet alone weighs more (uncompressed in tests)
    assert 0 < home.repeat_kib < home.first_kib / 2
