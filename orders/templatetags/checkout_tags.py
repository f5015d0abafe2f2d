"""The checkout's long lists worked out in Python: its most repeated markup, at a fraction of a loop's cost."""

from itertools import groupby

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def region_options(regions, selected) -> str:
    """The `<option>`s of Russia's regions, (id, name), the chosen one selected."""
    chosen = selected.pk if selected is not None else None
    rows = ((pk, " selected" if pk == chosen else "", name) for pk, name in regions)
    return format_html_join("\n", '<option value="{}"{}>{}</option>', rows)


@register.simple_tag
def window_days(windows, chosen) -> list[dict]:
    """Courier windows by day, each day's labels made once, each window's state worked out once."""
    return [
        {
            "label": date_format(day, "l, j E"),
            "short": date_format(day, "j E"),
            "windows": [
                {"value": w.value, "label": w.label, "full": w.is_full, "checked": w.value == chosen} for w in group
            ],
        }
        for day, group in groupby(windows, key=lambda window: window.date)
    ]
