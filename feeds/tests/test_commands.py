import io

import pytest
from django.core.management import call_command

from catalog.tests.factories import ProductFactory, StockFactory
from feeds.selectors import feed_categories, feed_file

pytestmark = pytest.mark.django_db


def test_feed_build_builds_checks_and_reports():
    StockFactory(product=ProductFactory())
    out = io.StringIO()

    call_command("feed_build", stdout=out, stderr=io.StringIO())

    assert "Фид собран: предложений 1" in out.getvalue()
    assert f"Проверка пройдена: категорий {len(feed_categories())}." in out.getvalue()
    assert feed_file() is not None
