"""Checks of Russian identifiers: phone numbers, ИНН and КПП."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn

PHONE_INVALID = "Введите российский номер телефона, например +7 916 123-45-67."
PHONE_NOT_RUSSIAN = "Принимаются только российские номера телефонов (+7)."
INN_FORMAT = "ИНН состоит из 10 цифр (организация) или 12 цифр (ИП)."
INN_ZEROS = "ИНН не может состоять из одних нулей."
INN_CHECKSUM = "ИНН указан неверно: не сходится контрольное число"
KPP_FORMAT = "КПП состоит из 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры."
KPP_REQUIRED = "Для организации (ИНН из 10 цифр) укажите КПП."
KPP_NOT_FOR_SOLE_TRADER = "У индивидуального предпринимателя (ИНН из 12 цифр) нет КПП."

_PHONE_CHARS = re.compile(r"^\+?[\d\s()\-.]+$")
_KPP = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")


def looks_like_phone(value: str) -> bool:
    """Whether the text is made of digits and the usual phone punctuation only."""
    return bool(_PHONE_CHARS.match(value.strip())) and sum(c.isdigit() for c in value) >= 5


def normalize_phone(value: str) -> str:
    """Return a Russian phone number typed in any usual form as E.164 (+79161234567)."""
    text = (value or "").strip()
    if not looks_like_phone(text):
        raise ValidationError(PHONE_INVALID, code="invalid_phone")
    try:
        number = phonenumbers.parse(text, "RU")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(PHONE_INVALID, code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_INVALID, code="invalid_phone")
    if phonenumbers.region_code_for_number(number) != "RU":
        raise ValidationError(PHONE_NOT_RUSSIAN, code="phone_not_russian")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_inn(value: str) -> str:
    """Return the ИНН without spaces after checking its length and checksum."""
    digits = re.sub(r"\s+", "", value or "")
    if not digits.isdigit() or len(digits) not in (10, 12):
        raise ValidationError(INN_FORMAT, code="inn_format")
    if set(digits) == {"0"}:
        raise ValidationError(INN_ZEROS, code="inn_zeros")
    if not stdnum_inn.is_valid(digits):
        raise ValidationError(INN_CHECKSUM, code="inn_checksum")
    return digits


def normalize_kpp(value: str) -> str:
    """Return the КПП upper-cased after checking its format."""
    kpp = re.sub(r"\s+", "", value or "").upper()
    if not _KPP.match(kpp) or kpp.startswith("0000"):
        raise ValidationError(KPP_FORMAT, code="kpp_format")
    return kpp


def validate_inn(value: str) -> None:
    normalize_inn(value)


def validate_kpp(value: str) -> None:
    normalize_kpp(value)
