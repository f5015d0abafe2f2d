from decimal import Decimal

import pytest

from core.vat import VatRate, vat_amount, vat_note, vat_percent, vat_total


@pytest.mark.parametrize(
    ("gross", "rate", "expected"),
    [
        ("12200", VatRate.VAT_22, "2200.00"),
        ("100", VatRate.VAT_22, "18.03"),
        ("1100", VatRate.VAT_10, "100.00"),
        ("105", VatRate.VAT_5, "5.00"),
        ("107", VatRate.VAT_7, "7.00"),
        ("999.99", VatRate.VAT_0, "0.00"),
        ("999.99", VatRate.NO_VAT, "0.00"),
        ("0.01", VatRate.VAT_22, "0.00"),
    ],
)
def test_vat_amount_is_the_tax_inside_the_gross_rounded_per_line(gross, rate, expected):
    assert vat_amount(Decimal(gross), rate) == Decimal(expected)


def test_vat_total_is_the_sum_of_rounded_lines_not_the_rounded_sum():
    # Each 100 ₽ line holds 18.0327… of VAT: 18.03 per line, 54.09 in all (not 54.10).
    lines = [(Decimal("100"), VatRate.VAT_22)] * 3
    assert vat_total(lines) == Decimal("54.09")


def test_vat_total_mixes_rates():
    lines = [(Decimal("12200"), VatRate.VAT_22), (Decimal("1100"), VatRate.VAT_10), (Decimal("500"), VatRate.NO_VAT)]
    assert vat_total(lines) == Decimal("2300.00")


@pytest.mark.parametrize(
    ("rate", "percent", "note"),
    [
        (VatRate.VAT_22, Decimal("22"), "в т.ч. НДС 22%"),
        (VatRate.VAT_10, Decimal("10"), "в т.ч. НДС 10%"),
        (VatRate.VAT_0, Decimal("0"), "в т.ч. НДС 0%"),
        (VatRate.NO_VAT, None, "без НДС"),
    ],
)
def test_vat_percent_and_note(rate, percent, note):
    assert (vat_percent(rate), vat_note(rate)) == (percent, note)
