"""/feeds/yml.xml: the published file with its ETag and time, 304 to a robot that has it already."""

import os
from pathlib import Path
from unittest import mock

import pytest
from django.utils.http import http_date

from catalog.tests.factories import ProductFactory, StockFactory
from feeds.selectors import feed_local_path
from feeds.services import feed_build
from feeds.tasks import feed_build_task

pytestmark = pytest.mark.django_db

URL = "/feeds/yml.xml"


@pytest.fixture
def published():
    StockFactory(product=ProductFactory(name="Камера"))
    feed_build()
    return Path(feed_local_path())


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_feed_is_served_as_xml_with_its_etag_and_time(client, published):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert body(response) == published.read_bytes()
    assert response["Content-Length"] == str(published.stat().st_size)
    assert response["Last-Modified"] == http_date(published.stat().st_mtime)
    assert response["ETag"].startswith('"')
    assert "no-cache" in response["Cache-Control"]


def test_a_robot_with_the_same_etag_gets_304(client, published):
    etag = client.get(URL)["ETag"]

    response = client.get(URL, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_a_robot_with_the_same_time_gets_304(client, published):
    last_modified = client.get(URL)["Last-Modified"]

    assert client.get(URL, headers={"If-Modified-Since": last_modified}).status_code == 304


def test_a_rebuilt_feed_has_a_new_etag_and_is_sent_again(client, published):
    etag = client.get(URL)["ETag"]
    stat = published.stat()
    feed_build()
    os.utime(published, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))  # a later second

    response = client.get(URL, headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_head_answers_headers_only(client, published):
    response = client.head(URL)

    assert response.status_code == 200
    assert response["ETag"]


def test_post_is_refused(client, published):
    assert client.post(URL).status_code == 405


def test_without_a_worker_the_first_request_builds_the_feed(client):
    StockFactory(product=ProductFactory(name="Камера"))

    response = client.get(URL)

    assert response.status_code == 200
    assert b"<name>\xd0\x9a\xd0\xb0\xd0\xbc\xd0\xb5\xd1\x80\xd0\xb0</name>" in body(response)


def test_before_the_first_build_a_worker_is_asked_once_and_the_robot_told_when_to_come_back(client):
    with mock.patch.object(feed_build_task, "delay") as send:
        first = client.get(URL)
        second = client.get(URL)

    assert (first.status_code, second.status_code) == (503, 503)
    assert first["Retry-After"] == "120"
    assert send.call_count == 1


def test_on_an_object_store_the_feed_is_uploaded_whole_and_served_from_it(client, settings):
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    StockFactory(product=ProductFactory(name="Камера"))

    assert feed_local_path() is None
    feed_build()
    response = client.get(URL)

    assert response.status_code == 200
    assert body(response).startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<yml_catalog')
    assert client.get(URL, headers={"If-None-Match": response["ETag"]}).status_code == 304
