from decimal import Decimal

import pytest

from core.money import format_rub, to_kopecks


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("12990"), "12\u00a0990\u00a0₽"),
        (Decimal("12990.00"), "12\u00a0990\u00a0₽"),
        (Decimal("990"), "990\u00a0₽"),
        (Decimal("1234567.5"), "1\u00a0234\u00a0567,50\u00a0₽"),
        (Decimal("0.05"), "0,05\u00a0₽"),
        (Decimal("-1500"), "−1\u00a0500\u00a0₽"),
        (12990, "12\u00a0990\u00a0₽"),
        (None, ""),
    ],
)
def test_format_rub_groups_thousands_with_non_breaking_spaces(amount, expected):
    assert format_rub(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("10.005", "10.01"), ("10.004", "10.00"), ("2.675", "2.68"), ("-1.005", "-1.01")],
)
def test_to_kopecks_rounds_half_up(amount, expected):
    assert to_kopecks(Decimal(amount)) == Decimal(expected)
