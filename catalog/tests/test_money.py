from decimal import Decimal

import pytest

from catalog.money import format_rub, to_kopecks


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("12990"), "12 990 ₽"),
        (Decimal("12990.00"), "12 990 ₽"),
        (Decimal("990"), "990 ₽"),
        (Decimal("1234567.5"), "1 234 567,50 ₽"),
        (Decimal("0.05"), "0,05 ₽"),
        (Decimal("-1500"), "−1 500 ₽"),
        (12990, "12 990 ₽"),
        (None, ""),
    ],
)
def test_format_rub_groups_thousands_with_spaces(amount, expected):
    assert format_rub(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("10.005", "10.01"), ("10.004", "10.00"), ("2.675", "2.68"), ("-1.005", "-1.01")],
)
def test_to_kopecks_rounds_half_up(amount, expected):
    assert to_kopecks(Decimal(amount)) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [("108", "°", "108°"), ("2.8", "мм", "2.8 мм"), ("PoE", "", "PoE"), ("95", "%", "95%")],
)
def test_with_unit_puts_degrees_next_to_the_number(value, unit, expected):
    from catalog.templatetags.catalog_tags import with_unit

    assert with_unit(value, unit) == expected
