"""The checkout's long lists made in Python: its most repeated markup, at a fraction of a template loop's cost."""

from itertools import groupby

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def region_options(regions, selected) -> str:
    """The `<option>`s of Russia's regions, (id, name), the chosen one selected."""
    chosen = selected.pk if selected is not None else None
    return mark_safe(  # noqa: S308 - integers and escaped names
        "\n".join(
            f'<option value="{pk:d}"{" selected" if pk == chosen else ""}>{escape(name)}</option>'
            for pk, name in regions
        )
    )


@register.simple_tag
def courier_window_days(windows, chosen) -> str:
    """The courier windows as radio buttons grouped by day, a day's labels made once."""
    days = []
    for number, (day, group) in enumerate(groupby(windows, key=lambda window: window.date), start=1):
        short = escape(date_format(day, "j E"))
        buttons = []
        for index, window in enumerate(group, start=1):
            ident = f"window-{number}-{index}"
            label = escape(window.label)
            full = window.is_full
            checked = " checked" if window.value == chosen else ""
            buttons.append(
                f'<input type="radio" class="btn-check" name="window" id="{ident}" value="{escape(window.value)}"'
                f'{checked}{" disabled" if full else ""} autocomplete="off">'
                f'<label class="btn btn-sm btn-outline-primary" for="{ident}" aria-label="{short}, {label}'
                f'{", мест нет" if full else ""}">{label}{" · мест нет" if full else ""}</label>'
            )
        days.append(
            f'<div class="col"><div class="small text-muted mb-1">{escape(date_format(day, "l, j E"))}</div>'
            f'<div class="d-flex flex-wrap gap-1">{"".join(buttons)}</div></div>'
        )
    return mark_safe("\n".join(days))  # noqa: S308 - every value escaped above
