"""Once through a real HTTP server, as 1C talks to the shop over the network."""

import base64
import urllib.request

import pytest
from django.contrib.auth.models import Permission

from accounts.tests.factories import UserFactory
from catalog.models import Product
from exchange.tests.conftest import PASSWORD, data


def _call(base: str, query: str, *, auth: str = "", cookie: str = "", body: bytes | None = None) -> list[str]:
    request = urllib.request.Request(  # noqa: S310 (the test's own server)
        f"{base}/1c/exchange/?{query}", data=body, method="POST" if body else "GET"
    )
    if auth:
        request.add_header("Authorization", auth)
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the test's own server)
        assert "windows-1251" in response.headers["Content-Type"]
        return response.read().decode("windows-1251").split("\n")


@pytest.mark.django_db(transaction=True)
def test_a_whole_catalogue_exchange_over_http(live_server, settings):
    settings.EXCHANGE_STEP_SECONDS = 0
    user = UserFactory(is_staff=True, email="1c@ohrana-plus.ru")
    user.set_password(PASSWORD)
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="exchange_1c"))
    auth = "Basic " + base64.b64encode(f"{user.email}:{PASSWORD}".encode()).decode()
    base = live_server.url

    answer = _call(base, "type=catalog&mode=checkauth", auth=auth)
    assert answer[0] == "success"
    cookie = f"{answer[1]}={answer[2]}"
    assert _call(base, "type=catalog&mode=init", cookie=cookie)[0] == "zip=yes"
    content = data("cml204/import.xml")
    half = len(content) // 2
    for part in (content[:half], content[half:]):
        assert _call(base, "type=catalog&mode=file&filename=import.xml", cookie=cookie, body=part) == ["success"]
    assert _call(base, "type=catalog&mode=file&filename=offers.xml", cookie=cookie, body=data("cml204/offers.xml"))[
        0
    ] == ("success")
    for name in ("import.xml", "offers.xml"):
        firsts = []
        while not firsts or firsts[-1] == "progress":
            firsts.append(_call(base, f"type=catalog&mode=import&filename={name}", cookie=cookie)[0])
        assert firsts[-1] == "success"
    assert "progress" in firsts
    assert _call(base, "type=catalog&mode=complete", cookie=cookie)[0] == "success"

    assert Product.objects.get(external_id="good-cam-1").price == 12990
