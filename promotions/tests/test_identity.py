import pytest

from promotions.identity import CustomerIdentity, email_key, identity_from, identity_of, phone_key


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        (" Irina@Example.RU ", "irina@example.ru"),
        ("irina+shop@example.ru", "irina@example.ru"),
        ("I.Rina+x@GoogleMail.com", "irina@gmail.com"),
        ("i.r.i.n.a@gmail.com", "irina@gmail.com"),
        ("irina.petrova@ya.ru", "irina-petrova@yandex.ru"),
        ("irina-petrova@yandex.com", "irina-petrova@yandex.ru"),
        ("irina.petrova@example.ru", "irina.petrova@example.ru"),
        ("", ""),
    ],
)
def test_email_key_joins_the_aliases_of_one_mailbox(typed, key):
    assert email_key(typed) == key


@pytest.mark.parametrize("typed", ["+79161234567", "8 (916) 123-45-67", "+7 916 123-45-67", "9161234567"])
def test_phone_key_is_e164_whatever_the_format(typed):
    assert phone_key(typed) == "+79161234567"


def test_identity_lists_each_key_once_account_first():
    identity = identity_of(user_id=7, emails=["A@B.ru", "a+x@b.ru", ""], phones=["89161234567", None])

    assert identity.keys == ("user:7", "email:a@b.ru", "phone:+79161234567")
    assert str(identity) == "user:7"


@pytest.mark.parametrize(
    ("stored", "keys"),
    [
        ("user:8", ("user:8",)),
        ("email:I.Rina@Gmail.com", ("email:irina@gmail.com",)),
        ("phone:+7 916 123-45-67", ("phone:+79161234567",)),
        ("", ()),
        (None, ()),
    ],
)
def test_identity_from_a_stored_key_normalises_it(stored, keys):
    assert identity_from(stored) == CustomerIdentity(keys=keys)
