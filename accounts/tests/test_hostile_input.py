import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/", {"login": "ivan\x00@example.ru", "password": "x\x00y"}),
        ("/accounts/login/", {"login": "+7 916\x00 123-45-67", "password": "secret-pass-1"}),
        (
            "/accounts/signup/",
            {
                "login": "new\x00@example.ru",
                "password1": "Ohrana-Plus-2025!",
                "account_type": "person",
                "consent": "on",
            },
        ),
        (
            "/accounts/signup/",
            {
                "login": "firm@example.ru",
                "password1": "Ohrana-Plus-2025!",
                "account_type": "company",
                "consent": "on",
                "inn": "7707083893\x00",
                "kpp": "773601001",
                "company_name": "ООО\x00",
            },
        ),
        ("/accounts/password/reset/", {"email": "a\x00@example.ru"}),
        ("/accounts/login/code/", {"email": "a\x00@example.ru"}),
    ],
)
def test_account_forms_answer_nul_characters_with_a_form_not_a_500(client, url, data):
    response = client.post(url, data)
    html = response.content.decode()
    # The form comes back with its error beside the field; nothing is created and nothing is sent.
    assert response.status_code == 200
    assert "invalid-feedback" in html
    assert not User.objects.exists()
    assert mail.outbox == []
