"""Deleting an account leaves no personal data anywhere, and keeps the consent records as proof."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import ProtectedError

from accounts.models import Company, ConsentRecord, User
from accounts.tests.factories import PASSWORD, ConsentRecordFactory, UserFactory
from catalog.tests.factories import StockFactory

pytestmark = pytest.mark.django_db

SOLE_TRADER = {
    "login": "ippolit.unikalnov@example.org",
    "password1": PASSWORD,
    "account_type": "company",
    "consent": "on",
    "first_name": "Ипполит",
    "inn": "500100732259",
    "company_name": "ИП Уникальнов Ипполит Матвеевич",
    "legal_address": "141707, Долгопрудный, Лихачёвский проезд, 9",
    "contact_name": "Уникальнов Ипполит",
    "contact_phone": "8 926 555-01-77",
    "contact_email": "ippolit.zakupki@example.org",
}
# What the person typed, as the shop would store or display it.
PERSONAL_VALUES = [
    "ippolit.unikalnov@example.org",
    "Ипполит",
    "500100732259",
    "Уникальнов",
    "Лихачёвский",
    "+79265550177",
    "926 555",
    "ippolit.zakupki@example.org",
]


def _every_stored_value() -> list[tuple[str, str]]:
    """Every cell of every table, as text."""
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                cells.extend((table, str(value)) for value in row if value is not None)
    return cells


def test_deleted_account_leaves_no_personal_data_in_any_table(client):
    client.post("/accounts/signup/", SOLE_TRADER)
    user = User.objects.get(email=SOLE_TRADER["login"])
    client.post("/cart/add/", {"product": StockFactory(quantity=5).product.pk})
    staff = UserFactory(is_staff=True)
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Имя"]}}]',
    )
    assert any(v in value for _, value in _every_stored_value() for v in PERSONAL_VALUES)  # the check can see them

    response = client.post("/accounts/profile/delete/", {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    leaks = [(table, value) for table, value in _every_stored_value() for v in PERSONAL_VALUES if v in value]
    assert leaks == []
    consent = ConsentRecord.objects.get(user=user)
    assert consent.withdrawn_at is not None
    assert consent.text.version == "2026-11-25"
    assert Company.objects.get().name.startswith("Индивидуальный предприниматель #")


def test_a_consent_record_cannot_be_deleted_with_its_user():
    consent = ConsentRecordFactory()
    with pytest.raises(ProtectedError):
        consent.user.delete()


def test_a_published_consent_text_cannot_be_deleted_while_a_record_points_at_it():
    consent = ConsentRecordFactory()
    with pytest.raises(ProtectedError):
        consent.text.delete()


def test_consent_page_shows_an_accepted_past_version_word_for_word(client):
    html = client.get("/accounts/consent/?version=2025-09-01").content.decode()
    assert "Версия 2025-09-01" in html
    assert "даю согласие оператору — интернет-магазину «Охрана Плюс»" in html
    current = client.get("/accounts/consent/").content.decode()
    assert "ИНН 7704123450" in current
    assert "обработчики" in current
    assert client.get("/accounts/consent/?version=1999-01-01").status_code == 404


def test_signup_consent_is_its_own_checkbox_apart_from_the_privacy_policy(client):
    html = client.get("/accounts/signup/").content.decode()
    consent_label = html[html.index('for="id_consent"') :]
    consent_label = consent_label[: consent_label.index("</label>")]
    assert "согласие на обработку персональных данных" in consent_label
    assert "политик" not in consent_label
    assert "Нажимая «Зарегистрироваться», вы принимаете" in html


def test_the_gateways_log_of_a_deleted_accounts_phone_goes_with_it():
    from accounts.models import SmsMessage
    from accounts.services import account_delete
    from accounts.tests.factories import PhoneUserFactory

    user = PhoneUserFactory()
    SmsMessage.objects.create(phone=user.phone, text="Код входа: ******", backend="accounts.sms_gateways.smsru")
    SmsMessage.objects.create(phone="+79160000000", text="Заказ оплачен", backend="accounts.sms_gateways.smsru")

    account_delete(user=user)

    assert list(SmsMessage.objects.values_list("phone", flat=True)) == ["+79160000000"]
