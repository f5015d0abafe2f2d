"""Sessions read from the cache: the database still decides who is signed in, and an outage changes nobody."""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory
from shop.sessions import SessionStore, get_user
from shop.tests.test_redis_outage import own_redis  # noqa: F401 - a fixture

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

PROFILE = "/accounts/profile/"


def _signed_in(client: Client) -> bool:
    return client.get(PROFILE).status_code == 200


def _entry_key(client: Client) -> str:
    return SessionStore.cache_key_prefix + client.cookies["sessionid"].value


def _login(client: Client, user) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_signed_in_customer_is_learnt_in_one_query_from_a_cached_session(client, rf, django_assert_num_queries):
    user = UserFactory()
    _login(client, user)
    request = rf.get("/")
    request.session = SessionStore(client.cookies["sessionid"].value)
    with django_assert_num_queries(1):
        assert get_user(request) == user
    assert request.session.cached_expiry is not None


def test_logout_ends_the_session_even_when_the_cache_still_holds_it(client):
    _login(client, UserFactory())
    assert _signed_in(client)
    cache = caches["catalog"]
    stale_key, stale_entry = _entry_key(client), cache.get(_entry_key(client))
    assert stale_entry is not None
    client.post("/accounts/logout/")
    # As after an outage that swallowed the delete: the old cookie and the old cache entry come back.
    cache.set(stale_key, stale_entry)
    client.cookies["sessionid"] = stale_key.removeprefix(SessionStore.cache_key_prefix)
    assert not _signed_in(client)


def test_password_change_signs_out_other_sessions_at_the_next_request():
    user = UserFactory()
    phone, laptop = Client(), Client()
    _login(phone, user)
    _login(laptop, user)
    assert _signed_in(phone)
    user.set_password("другой-пароль-123")
    user.save()
    assert not _signed_in(phone)


def test_deactivated_customer_is_signed_out_at_the_next_request(client):
    user = UserFactory()
    _login(client, user)
    assert _signed_in(client)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert not _signed_in(client)


def test_session_rewritten_in_the_database_wins_over_a_stale_cache_entry(client):
    user = UserFactory()
    _login(client, user)
    cache = caches["catalog"]
    key = _entry_key(client)
    stale = cache.get(key)
    # The session is written (a region chosen) while the cache misses the write, then holds the old entry.
    store = SessionStore(client.cookies["sessionid"].value)
    store["stale-check"] = "written"
    store.save()
    cache.set(key, stale)
    response = client.get(PROFILE)
    assert response.status_code == 200
    assert response.wsgi_request.session.get("stale-check") == "written"


@pytest.mark.usefixtures("own_redis")
def test_redis_stopped_signs_nobody_out_or_in_and_is_logged(client, request, caplog, settings):
    settings.SESSION_CACHE_ALIAS = "catalog"
    user, other = UserFactory(), UserFactory()
    _login(client, user)
    assert _signed_in(client)
    guest = Client()
    assert not _signed_in(guest)

    request.getfixturevalue("own_redis").stop()
    with caplog.at_level(logging.WARNING, logger="shop.cache"):
        assert _signed_in(client)
        assert not _signed_in(guest)
        # Signing in and out still works, from the database alone.
        _login(guest, other)
        assert _signed_in(guest)
        client.post("/accounts/logout/")
        assert not _signed_in(client)
    assert any("is unavailable" in record.getMessage() for record in caplog.records)


@pytest.mark.usefixtures("own_redis")
def test_logout_while_redis_is_frozen_stays_a_logout_when_it_thaws(client, request, monkeypatch):
    redis_server = request.getfixturevalue("own_redis")
    monkeypatch.setattr("shop.cache.RETRY_AFTER_SECONDS", 0.2)
    _login(client, UserFactory())
    assert _signed_in(client)
    old_cookie = client.cookies["sessionid"].value
    redis_server.freeze()
    try:
        client.post("/accounts/logout/")
    finally:
        redis_server.thaw()
    assert not Session.objects.filter(session_key=old_cookie).exists()
    client.cookies["sessionid"] = old_cookie
    assert not _signed_in(client)
