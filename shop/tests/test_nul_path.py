"""A NUL character anywhere in a path is the shop's 404: no view sees it, and PostgreSQL never gets it."""

import re

import pytest
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = "Такой страницы нет"


@pytest.fixture
def customer(client):
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/orders/a%00b/",
        "/orders/a%00b",
        "/orders/a%00b/cancel/",
        "/orders/a%00b/documents/invoice.pdf",
        "/payments/start/a%00b/",
        "/payments/sandbox/a%00b/",
        "/payments/webhook/sandbox/a%00",
        "/service/requests/a%00b/",
        "/product/a%00b/",
        "/catalog/a%00b/",
        "/%00",
        "/cart/%00/",
    ],
)
def test_a_nul_in_the_path_is_the_shops_404_for_a_signed_in_customer(customer, path):
    response = customer.get(path)

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


@pytest.mark.parametrize("path", ["/payments/webhook/sandbox/a%00", "/payments/webhook/sandbox%00/", "/orders/a%00b/"])
def test_a_posted_nul_path_is_a_404(client, path):
    assert client.post(path, data=b"{}", content_type="application/json").status_code == 404


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif "<" in route:
            yield route


def test_every_route_with_a_parameter_answers_404_to_a_nul_in_it(customer):
    paths = ["/" + re.sub(r"<[^>]+>", "a%00b", route) for route in _routes(get_resolver().url_patterns)]
    assert len(paths) > 20
    answers = {path: customer.get(path).status_code for path in paths}
    assert {path: status for path, status in answers.items() if status != 404} == {}
