"""Phone numbers as a person reads them."""

import phonenumbers


def format_phone(value: str | None) -> str:
    """«+79163863161» -> «+7 916 386-31-61»; what does not parse is shown as it is."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(str(value), "RU")
    except phonenumbers.NumberParseException:
        return str(value)
    if not phonenumbers.is_possible_number(number):
        return str(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
