import pytest
from django.http import QueryDict

from catalog.templatetags.catalog_tags import _encoded, _replaced, with_unit


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
    assert _replaced(_encoded(original), **changes) == expected
    assert original.urlencode() == query  # the request's own query is left as it was


def test_filter_options_escape_what_the_catalogue_holds_and_mark_the_chosen_ones():
    from catalog.facets import Facets
    from catalog.selectors import ListingFilters
    from catalog.templatetags.catalog_tags import filter_options

    facets = Facets(
        total=3,
        brands=[{"slug": "a-b", "name": "A&B <Pro>", "count": 2}, {"slug": "c", "name": "C", "count": 1}],
        attributes=[{"slug": "zoom", "name": "Зум", "unit": "x", "values": [{"value": '2"', "count": 3}]}],
        price_min=None,
        price_max=None,
    )
    html = filter_options(facets, ListingFilters(brands=("c",), attributes=(("zoom", ('2"',)),)))
    assert (
        '<fieldset class="mb-3"><legend class="h6">Бренд</legend>'
        '<div class="form-check"><input class="form-check-input" type="checkbox" name="brand" value="a-b" '
        'id="brand-a-b"><label class="form-check-label d-flex justify-content-between" for="brand-a-b">'
        'A&amp;B &lt;Pro&gt; <span class="text-muted small ms-2">2</span></label></div>'
        '<div class="form-check"><input class="form-check-input" type="checkbox" name="brand" value="c" '
        'id="brand-c" checked><label class="form-check-label d-flex justify-content-between" for="brand-c">'
        'C <span class="text-muted small ms-2">1</span></label></div></fieldset>'
    ) in html
    assert (
        '<legend class="h6">Зум, x</legend><div class="form-check"><input class="form-check-input" '
        'type="checkbox" name="a_zoom" value="2&quot;" id="a-zoom-1" checked>'
    ) in html
