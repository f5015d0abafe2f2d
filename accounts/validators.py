"""Checks of Russian identifiers: phone numbers, ИНН and КПП."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn

PHONE_INVALID = "Введите российский номер телефона, например +7 916 123-45-67."
PHONE_NOT_RUSSIAN = "Принимаются только российские номера телефонов (+7)."
PHONE_TOLL_FREE = "На номер 8-800 не придёт SMS с кодом: укажите мобильный номер, например +7 916 123-45-67."
PHONE_NOT_MOBILE = "Это городской номер, на него не придёт SMS с кодом: укажите мобильный, например +7 916 123-45-67."
INN_FORMAT = "ИНН состоит из 10 цифр (организация) или 12 цифр (ИП)."
INN_ZEROS = "ИНН не может состоять из одних нулей."
INN_CHECKSUM = "ИНН указан неверно: не сходится контрольное число"
KPP_FORMAT = "КПП состоит из 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры."
KPP_REQUIRED = "Для организации (ИНН из 10 цифр) укажите КПП."
KPP_NOT_FOR_SOLE_TRADER = "У индивидуального предпринимателя (ИНН из 12 цифр) нет КПП."

# ASCII digits only: "\d" would also take Arabic-Indic and other Unicode digits.
_PHONE_CHARS = re.compile(r"^\+?[0-9\s()\-.]+$")
_KPP = re.compile(r"^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$")
_DIGITS = re.compile(r"^[0-9]+$")


def looks_like_phone(value: str) -> bool:
    """Whether the text is made of digits and the usual phone punctuation only."""
    return bool(_PHONE_CHARS.match(value.strip())) and sum(c in "0123456789" for c in value) >= 5


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


def normalize_mobile_phone(value: str) -> str:
    """Like normalize_phone, for a number that must receive SMS codes: landlines and 8-800 are refused."""
    e164 = normalize_phone(value)
    kind = phonenumbers.number_type(phonenumbers.parse(e164, "RU"))
    if kind == phonenumbers.PhoneNumberType.TOLL_FREE:
        raise ValidationError(PHONE_TOLL_FREE, code="phone_toll_free")
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError(PHONE_NOT_MOBILE, code="phone_not_mobile")
    return e164


def normalize_inn(value: str) -> str:
    """Return the ИНН without spaces after checking its length and checksum."""
    digits = re.sub(r"\s+", "", value or "")
    if not _DIGITS.match(digits) or len(digits) not in (10, 12):
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
