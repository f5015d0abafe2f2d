"""The shop's own 404 and 500 pages, and the switch that gives developers Django's debug pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def test_missing_product_is_the_shops_404_with_header_search_and_a_way_back(client):
    response = client.get("/product/no-such-product/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Такой страницы нет" in html
    assert 'class="site-header' in html and 'action="/search/"' in html
    assert '<a href="/" class="btn btn-outline-primary">На главную</a>' in html


def test_server_error_is_the_shops_500_with_header_search_and_a_way_back(client, settings):
    settings.ROOT_URLCONF = "shop.tests.urls_failing"
    client.raise_request_exception = False

    response = client.get("/broken/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Что-то пошло не так" in html
    assert 'class="site-header' in html and 'action="/search/"' in html
    assert '<a href="/" class="btn btn-primary">На главную</a>' in html


def _local_debug(**env) -> str:
    clean = {key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"}
    code = "import shop.settings.local as s; print(s.DEBUG, s.STORAGES['staticfiles']['BACKEND'])"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_make_run_shows_the_shops_pages_and_serves_compressed_static_files():
    assert _local_debug() == "False whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_developers_get_debug_pages_with_django_debug():
    assert _local_debug(DJANGO_DEBUG="true") == "True django.contrib.staticfiles.storage.StaticFilesStorage"
