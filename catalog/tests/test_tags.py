import pytest

from catalog.templatetags.catalog_tags import with_unit


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [("108", "°", "108°"), ("2.8", "мм", "2.8 мм"), ("PoE", "", "PoE"), ("95", "%", "95%")],
)
def test_with_unit_puts_degrees_next_to_the_number(value, unit, expected):
    assert with_unit(value, unit) == expected
