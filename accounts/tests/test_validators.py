import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    INN_CHECKSUM,
    INN_FORMAT,
    INN_ZEROS,
    KPP_FORMAT,
    PHONE_INVALID,
    PHONE_NOT_MOBILE,
    PHONE_NOT_RUSSIAN,
    PHONE_TOLL_FREE,
    normalize_inn,
    normalize_kpp,
    normalize_mobile_phone,
    normalize_phone,
)


@pytest.mark.parametrize(
    "typed",
    ["8 916 123-45-67", "+7 (916) 123 45 67", "9161234567", "89161234567", "+79161234567", "7 916 123 45 67"],
)
def test_normalize_phone_turns_usual_russian_forms_into_e164(typed):
    assert normalize_phone(typed) == "+79161234567"


def test_normalize_phone_accepts_a_moscow_landline():
    assert normalize_phone("8 (495) 500-55-00") == "+74955005500"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("+1 202 555 0143", PHONE_NOT_RUSSIAN),
        ("+380 44 123 4567", PHONE_NOT_RUSSIAN),
        ("+7 916 123 45 6", PHONE_INVALID),
        ("12345", PHONE_INVALID),
        ("8 916 ABC-45-67", PHONE_INVALID),
        ("", PHONE_INVALID),
    ],
)
def test_normalize_phone_refuses_foreign_and_malformed_numbers(typed, message):
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed)
    assert error.value.messages == [message]


@pytest.mark.parametrize("inn", ["7707083893", "7728168971", "500100732259", " 7707 083 893 "])
def test_normalize_inn_accepts_real_inns(inn):
    assert normalize_inn(inn) == inn.replace(" ", "")


@pytest.mark.parametrize(
    ("inn", "message"),
    [
        ("7707083894", INN_CHECKSUM),
        ("7728168970", INN_CHECKSUM),
        ("500100732258", INN_CHECKSUM),
        ("0000000000", INN_ZEROS),
        ("000000000000", INN_ZEROS),
        ("770708389", INN_FORMAT),
        ("77070838931", INN_FORMAT),
        ("77070838AB", INN_FORMAT),
        ("", INN_FORMAT),
    ],
)
def test_normalize_inn_refuses_wrong_checksum_zeros_and_length(inn, message):
    with pytest.raises(ValidationError) as error:
        normalize_inn(inn)
    assert error.value.messages == [message]


def test_a_wrong_inn_checksum_is_named_to_the_customer():
    with pytest.raises(ValidationError) as error:
        normalize_inn("7707083894")
    assert error.value.messages == ["ИНН указан неверно: не сходится контрольное число"]


@pytest.mark.parametrize(("kpp", "expected"), [("773601001", "773601001"), ("7736ab001", "7736AB001")])
def test_normalize_kpp_accepts_valid_formats(kpp, expected):
    assert normalize_kpp(kpp) == expected


@pytest.mark.parametrize("kpp", ["77360100", "7736010011", "77360100X", "7736-01001", "000001001", "7736БВ001"])
def test_normalize_kpp_refuses_wrong_formats(kpp):
    with pytest.raises(ValidationError) as error:
        normalize_kpp(kpp)
    assert error.value.messages == [KPP_FORMAT]


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("8 800 555-35-35", PHONE_TOLL_FREE),
        ("+7 495 123-45-67", PHONE_NOT_MOBILE),
        ("8 (812) 345-67-89", PHONE_NOT_MOBILE),
    ],
)
def test_a_phone_for_sms_codes_must_be_mobile(phone, message):
    assert normalize_phone(phone)  # a valid Russian number as such
    with pytest.raises(ValidationError) as error:
        normalize_mobile_phone(phone)
    assert error.value.messages == [message]


def test_a_mobile_phone_is_accepted_for_sms_codes():
    assert normalize_mobile_phone("8 916 123-45-67") == "+79161234567"


@pytest.mark.parametrize(
    ("normalize", "value"),
    [
        (normalize_kpp, "٧٧٣٦٠١٠٠١"),
        (normalize_inn, "٧٧٠٧٠٨٣٨٩٣"),
        (normalize_phone, "+٧ ٩١٦ ١٢٣ ٤٥ ٦٧"),
        (normalize_inn, "７７０７０８３８９３"),
    ],
)
def test_identifiers_take_ascii_digits_only(normalize, value):
    with pytest.raises(ValidationError):
        normalize(value)
