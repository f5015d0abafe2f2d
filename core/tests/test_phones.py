import pytest

from core.phones import format_phone


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+79163863161", "+7 916 386-31-61"),
        ("+74951234567", "+7 495 123-45-67"),
        ("", ""),
        (None, ""),
        ("not a phone", "not a phone"),
    ],
)
def test_format_phone_groups_digits_as_people_read_them(stored, shown):
    assert format_phone(stored) == shown
