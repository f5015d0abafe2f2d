import pytest

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/catalog/", "/cart/", "/accounts/login/", "/healthz/"])
def test_every_answer_switches_off_camera_microphone_and_geolocation(client, path):
    policy = client.get(path)["Permissions-Policy"]
    assert {"camera=()", "microphone=()", "geolocation=()"} <= {part.strip() for part in policy.split(",")}


@pytest.mark.parametrize("path", ["/", "/catalog/", "/accounts/profile/", "/cart/"])
def test_pages_of_a_signed_in_customer_are_private_and_never_stored(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize("path", ["/cart/", "/accounts/login/", "/accounts/signup/"])
def test_personal_pages_of_a_guest_are_private_and_never_stored(client, path):
    response = client.get(path)
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_catalog_pages_of_a_guest_stay_cacheable(client):
    assert "no-store" not in client.get("/catalog/").get("Cache-Control", "")


@pytest.mark.parametrize("query", ["kind__exact=a%00b", "%00=1", "title__startswith=x&kind__exact=%00"])
def test_a_nul_character_in_an_admin_filter_is_dropped_instead_of_failing(admin_client, query):
    assert admin_client.get(f"/admin/accounts/consenttext/?{query}").status_code in (200, 302)


def test_nul_characters_never_reach_the_view(client):
    response = client.get("/search/?q=%00кам%00ера")
    assert response.status_code == 200
    assert response.context["query"] == "камера"
