"""Signups are rate-limited per address, with the shop's own Russian page past the limit."""

import pytest

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_eleventh_signup_in_a_minute_from_one_address_is_refused_in_russian(client):
    answers = [
        client.post(
            "/accounts/signup/",
            {"login": f"probe{n}@example.org", "password1": PASSWORD, "account_type": "person"},
        )
        for n in range(11)
    ]

    assert [a.status_code for a in answers[:10]].count(429) == 0
    assert answers[10].status_code == 429
    assert "Слишком много попыток" in answers[10].content.decode()
