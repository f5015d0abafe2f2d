"""The checkout's lists made in Python: the markup a template loop would make, every value escaped."""

import datetime
from html.parser import HTMLParser

from delivery.selectors import WindowChoice
from orders.templatetags.checkout_tags import courier_window_days, region_options


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())


def parsed(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def test_region_options_select_the_chosen_region_and_escape_names():
    class Chosen:
        pk = 2

    page = parsed(region_options([(1, "Москва"), (2, 'Край <"Тест">')], Chosen()))

    assert page.tags == [("option", {"value": "1"}), ("option", {"value": "2", "selected": None})]
    assert page.text == ["Москва", 'Край <"Тест">']


def test_courier_windows_are_radios_by_day_the_chosen_checked_a_full_one_disabled():
    monday, tuesday = datetime.date(2026, 12, 7), datetime.date(2026, 12, 8)
    windows = [
        WindowChoice(date=monday, slot="10-13", label="10:00–13:00", free=2),
        WindowChoice(date=monday, slot="13-16", label="13:00–16:00", free=0),
        WindowChoice(date=tuesday, slot="10-13", label="10:00–13:00", free=1),
    ]

    page = parsed(courier_window_days(windows, "2026-12-08|10-13"))

    radios = [attrs for tag, attrs in page.tags if tag == "input"]
    labels = [attrs for tag, attrs in page.tags if tag == "label"]
    assert [r["id"] for r in radios] == ["window-1-1", "window-1-2", "window-2-1"]
    assert [r["value"] for r in radios] == ["2026-12-07|10-13", "2026-12-07|13-16", "2026-12-08|10-13"]
    assert ["checked" in r for r in radios] == [False, False, True]
    assert ["disabled" in r for r in radios] == [False, True, False]
    assert {r["name"] for r in radios} == {"window"}
    assert [label["for"] for label in labels] == ["window-1-1", "window-1-2", "window-2-1"]
    assert labels[1]["aria-label"] == "7 декабря, 13:00–16:00, мест нет"
    assert page.text == [
        "Понедельник, 7 декабря", "10:00–13:00", "13:00–16:00 · мест нет", "Вторник, 8 декабря", "10:00–13:00",
    ]  # fmt: skip
