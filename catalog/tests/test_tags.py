import pytest
from django.http import QueryDict

from catalog.templatetags.catalog_tags import _replaced, with_unit


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [("108", "°", "108°"), ("2.8", "мм", "2.8 мм"), ("PoE", "", "PoE"), ("95", "%", "95%")],
)
def test_with_unit_puts_degrees_next_to_the_number(value, unit, expected):
    assert with_unit(value, unit) == expected


@pytest.mark.parametrize(
    ("query", "changes", "expected"),
    [
        ("brand=b&brand=a&page=3", {"page": 4}, "?brand=b&brand=a&page=4"),
        ("sort=price&page=3", {"sort": "new", "page": None}, "?sort=new"),
        ("page=3", {"page": None}, "?"),
        (
            "q=%D0%BA%D0%B0%D0%BC%D0%B5%D1%80%D0%B0&in_stock=1",
            {"page": ""},
            "?in_stock=1&q=%D0%BA%D0%B0%D0%BC%D0%B5%D1%80%D0%B0",
        ),
    ],
)
def test_replaced_query_keeps_every_other_value_and_sorts_the_names(query, changes, expected):
    original = QueryDict(query)
    assert _replaced(original, **changes) == expected
    assert original.urlencode() == query  # the request's own query is left as it was
