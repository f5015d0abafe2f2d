"""A second buyer of a registered company asks to join it instead of registering it again."""

import pytest

from accounts import exceptions, services
from accounts.models import AccountType, Company, CompanyJoinRequest, User
from accounts.tests.factories import PASSWORD, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

SBER = {
    "inn": "7707083893",
    "kpp": "773601001",
    "company_name": "ПАО Сбербанк",
    "legal_address": "117312, г. Москва, ул. Вавилова, д. 19",
    "contact_name": "Пётр Иванов",
    "contact_phone": "+7 916 111-22-33",
}


def _signup(client, login, **company):
    data = {"login": login, "password1": PASSWORD, "account_type": "company", "consent": "on", **SBER, **company}
    return client.post("/accounts/signup/", data, follow=True)


@pytest.fixture
def founder(client):
    _signup(client, "founder@example.ru")
    client.post("/accounts/logout/")
    return User.objects.get(email="founder@example.ru")


def test_a_second_signup_with_the_same_inn_and_kpp_asks_to_join(client, founder):
    response = _signup(client, "newcomer@example.ru", company_name="Сбер, другое написание")

    newcomer = User.objects.get(email="newcomer@example.ru")
    assert Company.objects.count() == 1
    assert (newcomer.account_type, newcomer.company) == (AccountType.COMPANY, None)
    request = CompanyJoinRequest.objects.get()
    assert (request.user, request.company, request.status) == (newcomer, founder.company, "pending")
    assert "уже зарегистрирована у нас" in response.content.decode()
    assert 'data-testid="join-pending"' in client.get("/accounts/profile/").content.decode()


def test_the_first_buyer_approves_the_newcomer_on_the_profile(client, founder):
    _signup(client, "newcomer@example.ru")
    client.post("/accounts/logout/")
    client.force_login(founder)
    request = CompanyJoinRequest.objects.get()
    assert 'data-testid="join-requests"' in client.get("/accounts/profile/").content.decode()

    response = client.post("/accounts/profile/", {"action": "join_approve", "join_request": request.pk})

    assert response["Location"] == "/accounts/profile/"
    newcomer = User.objects.get(email="newcomer@example.ru")
    assert newcomer.company == founder.company
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", founder)


def test_the_first_buyer_may_decline(client, founder):
    _signup(client, "newcomer@example.ru")
    client.force_login(founder)
    request = CompanyJoinRequest.objects.get()
    client.post("/accounts/profile/", {"action": "join_decline", "join_request": request.pk})
    assert User.objects.get(email="newcomer@example.ru").company is None
    assert CompanyJoinRequest.objects.get().status == "declined"


def test_nobody_else_can_decide_a_join_request(client, founder):
    _signup(client, "newcomer@example.ru")
    request = CompanyJoinRequest.objects.get()
    # The newcomer and a buyer of another company see 404, as for anything not theirs.
    response = client.post("/accounts/profile/", {"action": "join_approve", "join_request": request.pk})
    assert response.status_code == 404
    client.force_login(UserFactory(company=CompanyFactory(inn="7728168971", kpp="772801001")))
    response = client.post("/accounts/profile/", {"action": "join_approve", "join_request": request.pk})
    assert response.status_code == 404
    assert CompanyJoinRequest.objects.get().status == "pending"


def test_a_decided_request_is_not_decided_twice(founder):
    newcomer = UserFactory()
    request = services.company_join_request_create(user=newcomer, company=founder.company)
    services.company_join_decide(join_request_id=request.pk, approve=False, decided_by=founder)
    with pytest.raises(Exception, match=exceptions.JOIN_ALREADY_DECIDED):
        services.company_join_decide(join_request_id=request.pk, approve=True, decided_by=founder)


def test_staff_approve_in_the_admin(client, founder):
    newcomer = UserFactory()
    request = services.company_join_request_create(user=newcomer, company=founder.company)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.post(
        "/admin/accounts/companyjoinrequest/", {"action": "approve", "_selected_action": [request.pk]}, follow=True
    )
    newcomer.refresh_from_db()
    assert newcomer.company == founder.company
