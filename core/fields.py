"""A form field in the shop's Bootstrap 5 markup, as crispy-forms' `as_crispy_field` writes it, made in Python.

Crispy renders a field through a dozen nested templates (a millisecond each); the long forms of the
configurator and the checkout spend most of their page there. Same HTML, same accessibility attributes.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

CHECKS = (forms.CheckboxInput,)
SELECTS = (forms.Select,)  # SelectMultiple is a Select too
# What is written here; any other widget (radios, files, several inputs) is left to crispy itself.
WRITTEN = (Input, forms.Textarea, forms.Select, forms.RadioSelect)
LEFT = (forms.HiddenInput, forms.FileInput, forms.PasswordInput, forms.SelectMultiple)


def _input_class(widget: forms.Widget, invalid: bool) -> str:
    if isinstance(widget, CHECKS):
        css = "checkboxinput form-check-input"
    elif isinstance(widget, SELECTS) and not isinstance(widget, forms.SelectMultiple):
        css = "select form-select"
    else:
        css = f"{type(widget).__name__.lower()} form-control"
    return f"{css} is-invalid" if invalid else css


def _plain_select(widget: forms.Widget) -> bool:
    return isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple)


def _widget_context(field: forms.BoundField, attrs: dict) -> dict:
    """The widget's template context, with the attributes `BoundField.as_widget` would give it."""
    widget = field.field.widget
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.get_context(field.html_name, field.value(), attrs)["widget"]


def _input_html(field: forms.BoundField, attrs: dict) -> SafeString:
    """An `<input>` as Django's input template writes it."""
    context = _widget_context(field, attrs)
    value = "" if context["value"] is None else format_html(' value="{}"', context["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>', context["type"], context["name"], value, flatatt(context["attrs"])
    )


def _select_html(field: forms.BoundField, attrs: dict) -> SafeString:
    """A `<select>` as Django's widget template writes it, without a template per option (a region list has 85)."""
    context = _widget_context(field, attrs)
    if any(group_name for group_name, _options, _index in context["optgroups"]):
        return field.as_widget(attrs=attrs)
    options = format_html_join(
        "",
        '\n  <option value="{}"{}>{}</option>',
        (
            (option["value"], flatatt(option["attrs"]), option["label"])
            for _name, group, _index in context["optgroups"]
            for option in group
        ),
    )
    return format_html('<select name="{}"{}>{}\n</select>', context["name"], flatatt(context["attrs"]), options)


def _radios_html(field: forms.BoundField, error_html: str, help_html: str) -> SafeString | None:
    """Radio buttons in a fieldset with the label as its legend, as crispy writes them; None for grouped choices."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    if any(name for name, _options, _index in groups):
        return None
    options = [option for _name, group, _index in groups for option in group]
    invalid = " is-invalid" if field.errors else ""
    items = format_html_join(
        "",
        '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}" value="{}"{}>'
        '<label for="{}" class="form-check-label">{}</label>{}</div>',
        (
            (
                o["type"],
                invalid,
                field.html_name,
                o["value"],
                flatatt(o["attrs"]),
                o["attrs"].get("id"),
                o["label"],
                error,
            )
            for o, error in zip(options, [""] * (len(options) - 1) + [error_html], strict=True)
        ),
    )
    required = field.field.required
    described = field.aria_describedby
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset{}><legend class="form-label{} fs-6">{}{}</legend>'
        "<div>{}</div>{}</fieldset></div>",
        field.auto_id,
        format_html(' aria-describedby="{}"', described) if described else "",
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        items,
        help_html,
    )


def field_html(field: forms.BoundField) -> SafeString:
    """The field with its label, errors and help text."""
    widget = field.field.widget
    if not isinstance(widget, WRITTEN) or isinstance(widget, LEFT):
        return as_crispy_field(field)
    errors = field.errors
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    if errors:
        described.append(f"{field.auto_id}_error")
    attrs = {"class": _input_class(widget, bool(errors))}
    existing = widget.attrs.get("class")
    if existing:
        attrs["class"] = f"{existing} {attrs['class']}"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    error_html = ""
    if errors:
        error_html = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(errors, 1)),
            ),
        )
    help_html = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    if isinstance(widget, forms.RadioSelect):
        radios = _radios_html(field, error_html, help_html) if field.label else None
        return radios if radios is not None else as_crispy_field(field)
    if _plain_select(widget):
        rendered = _select_html(field, attrs)
    elif isinstance(widget, Input):
        rendered = _input_html(field, attrs)
    else:
        rendered = field.as_widget(attrs=attrs)
    if isinstance(widget, CHECKS):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            field.auto_id,
            rendered,
            field.id_for_label,
            field.label,
            error_html,
            help_html,
        )
    required = field.field.required
    label = ""
    if field.label:
        label = format_html(
            '<label for="{}" class="form-label{}">{}{}</label>',
            field.id_for_label,
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>', field.auto_id, label, rendered, error_html, help_html
    )
