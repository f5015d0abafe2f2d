"""A guest buying for an organisation: its details on the order and the invoice, VAT on its own line."""

from decimal import Decimal

import pytest

from accounts.validators import KPP_NOT_FOR_SOLE_TRADER, KPP_REQUIRED
from orders import forms
from orders.models import DocumentKind, Order, PaymentMethod
from orders.tests.factories import seller
from orders.tests.test_documents import text_of
from orders.tests.test_views import PAYMENT_URL, URL, courier_order, errors_of

pytestmark = pytest.mark.django_db

COMPANY = {
    "as_company": "on",
    "company_name": "ООО «Ромашка»",
    "inn": "7707083893",
    "kpp": "773601001",
    "legal_address": "125009, г. Москва, ул. Тверская, д. 7",
    "contact_name": "Петров Пётр",
}


def test_a_guest_sees_the_company_choice_and_a_person_form_by_default(client, guest_with_cart):
    html = client.get(URL).content.decode()

    assert "Покупаю как организация" in html
    assert 'data-testid="company-details"' not in html
    assert "в т.ч. НДС" in html


def test_ticking_the_choice_shows_the_details_and_the_vat_line(client, guest_with_cart):
    response = client.post(URL, {"as_company": "on", "action": "refresh"}, follow=True)

    html = response.content.decode()
    assert response.context["result"].is_company is True
    assert 'data-testid="company-details"' in html
    assert "Название организации" in html
    assert "в т.ч. НДС" not in html
    # 2 × 5 000 + 2 000 at 22%: 1 803,28 + 360,66.
    assert response.context["result"].pricing.vat == Decimal("2163.94")


def test_the_guest_company_order_carries_the_details_and_allows_an_invoice(
    client, guest_with_cart, django_capture_on_commit_callbacks
):
    seller()
    assert client.post(URL, courier_order(**COMPANY, full_name="")).status_code == 302

    payment = client.get(PAYMENT_URL)
    html = payment.content.decode()
    assert "ООО «Ромашка», ИНН 7707083893, КПП 773601001" in html
    choices = [value for value, _ in payment.context["method_form"].fields["payment_method"].choices]
    assert PaymentMethod.INVOICE in choices

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAYMENT_URL, {"payment_method": "invoice"})

    order = Order.objects.get()
    assert response["Location"] == order.get_absolute_url()
    assert order.user is None
    assert (order.is_company, order.company_name, order.inn, order.kpp) == (
        True,
        "ООО «Ромашка»",
        "7707083893",
        "773601001",
    )
    assert order.legal_address == COMPANY["legal_address"]
    assert (order.contact_name, order.full_name, order.email) == ("Петров Пётр", "Петров Пётр", "irina@example.ru")
    assert order.documents.get(kind=DocumentKind.INVOICE).file


def test_the_invoice_names_the_guest_company_and_its_vat(client, guest_with_cart, django_capture_on_commit_callbacks):
    seller()
    client.post(URL, courier_order(**COMPANY))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PAYMENT_URL, {"payment_method": "invoice"})
    order = Order.objects.get()

    text = text_of(order.documents.get(kind=DocumentKind.INVOICE))

    assert "ООО «Ромашка», ИНН 7707083893, КПП 773601001, 125009, г. Москва, ул. Тверская, д. 7" in text
    assert "НДС 22%" in text


def test_a_guest_person_cannot_choose_an_invoice(client, guest_with_cart):
    client.post(URL, courier_order())

    response = client.post(PAYMENT_URL, {"payment_method": "invoice"})

    assert response.status_code == 200
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"inn": "7707083894"}, "inn", None),
        ({"inn": "77070838"}, "inn", None),
        ({"kpp": ""}, "kpp", KPP_REQUIRED),
        ({"kpp": "77360"}, "kpp", None),
        ({"inn": "500100732259", "kpp": "773601001"}, "kpp", KPP_NOT_FOR_SOLE_TRADER),
        ({"company_name": ""}, "company_name", forms.REQUIRED),
        ({"legal_address": ""}, "legal_address", forms.REQUIRED),
        ({"contact_name": ""}, "contact_name", forms.REQUIRED),
    ],
)
def test_bad_details_are_refused_beside_their_field_and_kept(client, guest_with_cart, extra, field, message):
    data = courier_order(**(COMPANY | extra))

    response = client.post(URL, data)

    assert response.status_code == 200
    errors = errors_of(response, field)
    assert errors
    if message is not None:
        assert errors == [message]
    form = response.context["form"]
    for name in ("company_name", "legal_address", "contact_name"):
        assert form[name].value() == data[name]
    assert form["as_company"].value() is True
    assert not Order.objects.exists()


def test_a_sole_trader_without_kpp_is_accepted(client, guest_with_cart):
    data = courier_order(**(COMPANY | {"inn": "500100732259", "kpp": "", "company_name": "ИП Петров П. П."}))

    assert client.post(URL, data).status_code == 302


def test_unticking_turns_the_order_back_into_a_persons(client, guest_with_cart):
    client.post(URL, courier_order(**COMPANY) | {"action": "refresh"})

    response = client.post(URL, courier_order(**(COMPANY | {"as_company": ""})), follow=True)

    assert response.context["result"].is_company is False
    client.post(PAYMENT_URL, {"payment_method": "card"})
    order = Order.objects.get()
    assert (order.is_company, order.company_name, order.inn, order.full_name) == (
        False,
        "",
        "",
        "Иванова Ирина Петровна",
    )


def test_a_signed_in_person_is_not_offered_the_company_choice(client, stocked_product):
    from accounts.tests.factories import UserFactory
    from cart.tests.factories import CartFactory, CartLineFactory

    user = UserFactory()
    CartLineFactory(cart=CartFactory(user=user, session_key=None), product=stocked_product())
    client.force_login(user)

    response = client.post(URL, courier_order(**COMPANY) | {"action": "refresh"}, follow=True)

    assert "Покупаю как организация" not in response.content.decode()
    assert response.context["result"].is_company is False
