"""`|field` writes a field exactly as crispy-forms' `as_crispy_field` does (the same HTML, parsed)."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template

from configurator.forms import ConfiguratorForm
from core import fields
from orders.forms import CheckoutForm


class Shape(HTMLParser):
    """The elements with their attributes (classes as sets) and the text, white space dropped."""

    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append(
            (tag, sorted((k, " ".join(sorted((v or "").split())) if k == "class" else v) for k, v in attrs))
        )

    def handle_endtag(self, tag):
        self.items.append(("/", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", " ".join(data.split())))


def shape(html: str) -> list:
    parser = Shape()
    parser.feed(html)
    return parser.items


@pytest.fixture(autouse=True)
def left_to_crispy(monkeypatch):
    """The fields `|field` hands to crispy instead of writing them."""
    left = []
    monkeypatch.setattr(fields, "as_crispy_field", lambda field: left.append(field.name) or as_crispy_field(field))
    return left


def both(form: forms.Form, name: str) -> tuple[list, list]:
    # Ours first: crispy writes its classes into the widget's own attributes as it renders.
    ours = Template("{% load core_tags %}{{ field|field }}").render(Context({"field": form[name]}))
    crispy = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(Context({"field": form[name]}))
    return shape(crispy), shape(ours)


class Sample(forms.Form):
    name = forms.CharField(label="Имя", max_length=20, help_text="Подсказка")
    count = forms.IntegerField(label="Число", min_value=1, required=False)
    kind = forms.ChoiceField(label="Вид", choices=[("a", "А"), ("b", "Б")])
    agree = forms.BooleanField(label="Согласен", required=False, help_text="Можно не ставить")
    email = forms.EmailField(label="Email", required=False)
    note = forms.CharField(label="Заметка", widget=forms.Textarea, required=False)
    way = forms.ChoiceField(
        label="Способ", choices=[("a", "А"), ("b", "Б")], widget=forms.RadioSelect, help_text="Один"
    )
    maybe = forms.ChoiceField(label="Может", choices=[("x", "Икс")], widget=forms.RadioSelect, required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "", "count": "x", "kind": "z", "email": "нет", "way": "q"},
        {"name": "Аня", "kind": "b", "agree": "on", "way": "b", "maybe": "x"},
    ],
)
@pytest.mark.parametrize("name", list(Sample.base_fields))
def test_a_field_is_written_as_crispy_writes_it_blank_invalid_and_filled(data, name, left_to_crispy):
    form = Sample(data)
    if data is not None:
        form.is_valid()

    crispy, ours = both(form, name)

    assert ours == crispy
    assert left_to_crispy == []


@pytest.mark.django_db
def test_the_checkout_and_configurator_fields_are_written_as_crispy_writes_them(left_to_crispy):
    from orders.selectors import checkout_load

    info = checkout_load(cart=None, user=None, region=None)
    forms_ = [
        CheckoutForm({"email": "не почта"}, info=info, is_company=False, final=True),
        ConfiguratorForm({"days": "-1", "zone_0_cameras": "0"}),
        ConfiguratorForm(),
    ]
    for form in forms_:
        form.is_valid()
        for name in form.fields:
            crispy, ours = both(form, name)
            assert ours == crispy, (type(form).__name__, name)
    # Only hidden fields are left to crispy (they are never shown with a label).
    assert {name for name in left_to_crispy if not name.startswith(("profile",))} == set()


METHODS = [("card", "Картой онлайн"), ("sbp", "СБП"), ("on_receipt", "При получении")]


@pytest.mark.parametrize(
    ("data", "ask_email", "refused"),
    [
        (None, True, False),
        (None, False, False),
        ({"payment_method": "card"}, True, False),
        ({"payment_method": "card"}, True, True),
        ({"payment_method": "bad", "receipt_email": "x"}, True, False),
        ({}, False, True),
    ],
)
def test_the_payment_method_form_is_written_as_crispy_writes_the_whole_form(data, ask_email, refused):
    from decimal import Decimal

    from orders.forms import PaymentMethodForm

    def form():
        made = PaymentMethodForm(data, choices=METHODS, total=Decimal("1234.50"), ask_email=ask_email)
        if data is not None:
            made.is_valid()
            if refused:
                made.add_error(None, "Сумма заказа изменилась")
        return made

    ours = Template('{% include "orders/partials/_payment_method.html" %}').render(Context({"method_form": form()}))
    crispy = Template("{% load crispy_forms_tags %}{{ method_form|crispy }}").render(Context({"method_form": form()}))

    assert shape(ours) == shape(crispy)
    hidden = [("id", "id_expected_total"), ("name", "expected_total"), ("type", "hidden"), ("value", "1234.50")]
    assert ("input", hidden) in shape(ours)
