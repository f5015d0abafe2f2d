"""A form field in the shop's Bootstrap 5 markup, as crispy-forms' `as_crispy_field` writes it, made in Python.

Crispy renders a field through a dozen nested templates (a millisecond each); the long forms of the
configurator and the checkout spend most of their page there. Same HTML, same accessibility attributes.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

CHECKS = (forms.CheckboxInput,)
SELECTS = (forms.Select,)  # SelectMultiple is a Select too
# What is written here; any other widget (radios, files, several inputs) is left to crispy itself.
WRITTEN = (forms.TextInput, forms.Textarea, forms.Select, forms.CheckboxInput)


def _input_class(widget: forms.Widget, invalid: bool) -> str:
    if isinstance(widget, CHECKS):
        css = "checkboxinput form-check-input"
    elif isinstance(widget, SELECTS) and not isinstance(widget, forms.SelectMultiple):
        css = "select form-select"
    else:
        css = f"{type(widget).__name__.lower()} form-control"
    return f"{css} is-invalid" if invalid else css


def field_html(field: forms.BoundField) -> SafeString:
    """The field with its label, errors and help text."""
    widget = field.field.widget
    if not isinstance(widget, WRITTEN) or isinstance(widget, (forms.SelectMultiple, forms.PasswordInput)):
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
    rendered = field.as_widget(attrs=attrs)
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
