"""Who a buyer is for per-customer limits: every key one person is known by, normalised so aliases meet.

Pure: no database. A key is `user:<pk>`, `email:<address>` or `phone:<E.164>`.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

KEY_MAX_LENGTH = 300

# Mailboxes that ignore dots in the name; googlemail.com is gmail.com.
GMAIL_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
# Yandex serves one mailbox under all its domains and reads a dot in the name as a hyphen.
YANDEX_DOMAINS = frozenset(
    {"yandex.ru", "ya.ru", "yandex.com", "yandex.by", "yandex.kz", "yandex.ua", "yandex.com.tr", "narod.ru"}
)


@dataclass(frozen=True)
class CustomerIdentity:
    """Every key one buyer is known by; the first is the one staff read."""

    keys: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.keys)

    def __str__(self) -> str:
        return self.keys[0] if self.keys else ""


def email_key(email: str | None) -> str:
    """The mailbox an address delivers to: lower case, no +tag, gmail dots dropped, yandex aliases joined."""
    text = (email or "").strip().lower()
    name, at, domain = text.rpartition("@")
    if not at or not name or not domain:
        return text
    name = name.split("+", 1)[0] or name
    if domain in GMAIL_DOMAINS:
        domain = GMAIL_DOMAINS[domain]
        name = name.replace(".", "")
    elif domain in YANDEX_DOMAINS:
        domain = "yandex.ru"
        name = name.replace(".", "-")
    return f"{name}@{domain}"


def phone_key(phone: str | None) -> str:
    """A phone number as E.164 (a Russian number may be typed with 8 or without a code); else its digits."""
    text = (phone or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "RU")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return "".join(c for c in text if c in "0123456789")


def identity_of(
    *, user_id: int | None = None, emails: Iterable[str] = (), phones: Iterable[str] = ()
) -> CustomerIdentity:
    """The buyer's keys, account first, then emails, then phones, each once."""
    keys = [f"user:{user_id}"] if user_id else []
    keys += [f"email:{key}" for key in map(email_key, emails) if key]
    keys += [f"phone:{key}" for key in map(phone_key, phones) if key]
    return CustomerIdentity(keys=tuple(key[:KEY_MAX_LENGTH] for key in dict.fromkeys(keys)))


def identity_from(value: "CustomerIdentity | str | None") -> CustomerIdentity:
    """An identity as it is, or one built from a single stored key such as «email:A@B.ru»."""
    if isinstance(value, CustomerIdentity):
        return value
    kind, _, text = (value or "").strip().partition(":")
    if kind == "user" and text.isdigit():
        return identity_of(user_id=int(text))
    if kind == "email":
        return identity_of(emails=[text])
    if kind == "phone":
        return identity_of(phones=[text])
    return CustomerIdentity(keys=(value.strip()[:KEY_MAX_LENGTH],)) if value and value.strip() else CustomerIdentity()
