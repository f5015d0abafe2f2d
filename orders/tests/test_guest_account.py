"""After a guest's order: «Создать аккаунт» with one password makes the order into an account."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.test import Client

from accounts.exceptions import CONSENT_REQUIRED, EMAIL_TAKEN, PHONE_TAKEN
from accounts.models import AccountType, Company, ConsentKind, ConsentRecord, User
from accounts.selectors import consent_text_current
from accounts.tests.factories import UserFactory
from delivery.tests.factories import region
from orders import forms
from orders.models import DocumentKind, Order
from orders.services.documents import order_documents_make
from orders.tests.factories import seller
from orders.tests.test_guest_company import COMPANY
from orders.tests.test_views import PAYMENT_URL, URL, courier_order

pytestmark = pytest.mark.django_db

PASSWORD = "Zamok-Sinij-42"
ADDRESS = "г. Москва, ул. Тверская, д. 7, кв. 12"


def place_as_guest(client, method="card", **extra) -> Order:
    assert client.post(URL, courier_order(**extra)).status_code == 302
    # Without an email an online payment asks for one for the receipt; paying on receipt keeps the order phone-only.
    response = client.post(PAYMENT_URL, {"payment_method": method})
    order = Order.objects.get()
    assert response["Location"] == order.get_absolute_url()
    return order


def account_url(order: Order) -> str:
    return f"/orders/{order.number}/account/"


def create_account(client, order: Order, headers=None, **data):
    return client.post(account_url(order), {"password": PASSWORD, "consent": "on"} | data, headers=headers)


def test_the_order_page_offers_the_guest_an_account(client, guest_with_cart):
    order = place_as_guest(client)

    html = client.get(order.get_absolute_url()).content.decode()

    assert 'data-testid="account-offer"' in html
    assert "Создать аккаунт" in html
    assert f'action="{account_url(order)}"' in html
    assert html.count('type="password"') == 1
    assert 'name="consent"' in html


def test_one_password_makes_the_order_an_account_and_signs_the_guest_in(client, guest_with_cart):
    order = place_as_guest(client)

    response = create_account(client, order)

    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    user = User.objects.get(email="irina@example.ru")
    assert (user.last_name, user.first_name, user.region, user.account_type) == (
        "Иванова",
        "Ирина Петровна",
        region("77"),
        AccountType.PERSON,
    )
    assert user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).email == "irina@example.ru"
    order.refresh_from_db()
    assert order.user == user
    assert int(client.session[AUTH_SESSION_KEY]) == user.pk
    detail = client.get(order.get_absolute_url()).content.decode()
    assert f"Аккаунт создан, заказ {order.number} теперь в «Моих заказах»" in detail
    assert 'data-testid="account-offer"' not in detail
    assert f">{order.number}<" in client.get("/orders/").content.decode()


def test_the_consent_is_recorded_against_the_current_text(client, guest_with_cart):
    order = place_as_guest(client)

    create_account(client, order, headers={"user-agent": "Chromium test"})

    record = ConsentRecord.objects.get(user__email="irina@example.ru")
    assert record.kind == ConsentKind.PERSONAL_DATA
    assert record.text == consent_text_current(kind=ConsentKind.PERSONAL_DATA)
    assert record.user_agent == "Chromium test"
    assert record.ip_address == "127.0.0.1"
    assert record.withdrawn_at is None


def test_without_the_consent_nothing_is_created(client, guest_with_cart):
    order = place_as_guest(client)

    response = create_account(client, order, consent="")

    assert response.status_code == 200
    assert response.context["account_form"].errors["consent"] == [CONSENT_REQUIRED]
    assert not User.objects.exists()
    assert AUTH_SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("", [forms.REQUIRED]),
        ("Ab3-xyz", ["Введённый пароль слишком короткий. Он должен состоять из как минимум 8 символов."]),
        ("12345678", ["Введённый пароль слишком широко распространён.", "Введённый пароль состоит только из цифр."]),
        ("irina@example.ru", ["Введённый пароль слишком похож на email."]),
    ],
)
def test_a_weak_password_is_refused_in_russian_beside_the_field(client, guest_with_cart, password, expected):
    order = place_as_guest(client)

    response = create_account(client, order, password=password)

    assert response.status_code == 200
    assert response.context["account_form"].errors["password"] == expected
    assert expected[0] in response.content.decode()
    assert not User.objects.exists()


def test_a_registered_email_is_named_and_offers_login_instead(client, guest_with_cart):
    order = place_as_guest(client)
    UserFactory(email="irina@example.ru")

    response = create_account(client, order)

    assert response.status_code == 200
    html = response.content.decode()
    assert EMAIL_TAKEN in html
    assert f'href="/accounts/login/?next=/orders/{order.number}/"' in html
    assert f'action="{account_url(order)}"' not in html
    assert User.objects.count() == 1
    order.refresh_from_db()
    assert order.user is None


def test_a_registered_phone_is_named_as_at_signup(client, guest_with_cart):
    order = place_as_guest(client, email="", phone="+7 916 123-45-67", method="on_receipt")
    UserFactory(email=None, phone="+79161234567")

    response = create_account(client, order)

    assert list(response.context["account_form"].non_field_errors()) == [PHONE_TAKEN]


def test_a_phone_only_order_makes_an_account_that_logs_in_by_phone(client, guest_with_cart):
    order = place_as_guest(client, email="", phone="8 (916) 123-45-67", method="on_receipt")

    create_account(client, order)

    user = User.objects.get()
    assert (user.email, user.phone) == (None, "+79161234567")
    assert not EmailAddress.objects.exists()


def test_a_landline_only_order_gets_no_offer(client, guest_with_cart):
    order = place_as_guest(client, email="", phone="+7 495 123-45-67", method="on_receipt")

    assert 'data-testid="account-offer"' not in client.get(order.get_absolute_url()).content.decode()
    assert create_account(client, order).status_code == 404
    assert not User.objects.exists()


def test_a_second_attempt_answers_404(client, guest_with_cart):
    order = place_as_guest(client)
    create_account(client, order)

    assert create_account(client, order, password="Drugoj-Parol-7").status_code == 404
    assert User.objects.count() == 1
    assert User.objects.get().check_password(PASSWORD)


def test_another_persons_order_answers_404(client, guest_with_cart):
    order = place_as_guest(client)

    stranger = Client()
    assert create_account(stranger, order).status_code == 404
    assert stranger.get(order.get_absolute_url()).status_code == 404
    assert not User.objects.exists()


def test_a_signed_in_visitor_gets_no_offer_for_the_guest_order_of_the_session(client, guest_with_cart):
    order = place_as_guest(client)
    client.force_login(UserFactory())

    assert 'data-testid="account-offer"' not in client.get(order.get_absolute_url()).content.decode()
    assert create_account(client, order).status_code == 404
    order.refresh_from_db()
    assert order.user is None


def test_the_orders_documents_become_the_accounts(client, guest_with_cart):
    seller()
    order = place_as_guest(client)
    from orders.services import order_mark_paid

    order_mark_paid(order_id=order.pk)
    order_documents_make(order_id=order.pk)
    create_account(client, order)

    fresh = Client()
    assert fresh.login(email="irina@example.ru", password=PASSWORD)
    response = fresh.get(f"/orders/{order.number}/documents/{DocumentKind.RECEIPT}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_next_checkout_is_filled_from_the_account_and_the_order(client, guest_with_cart, stocked_product):
    from cart.tests.factories import CartFactory, CartLineFactory

    order = place_as_guest(client)
    create_account(client, order)
    user = User.objects.get()
    CartLineFactory(cart=CartFactory(user=user, session_key=None), product=stocked_product())

    form = client.get(URL).context["form"]

    assert form["full_name"].value() == "Иванова Ирина Петровна"
    assert form["email"].value() == "irina@example.ru"
    assert form["region"].value() == str(region("77").pk)
    assert form["courier_address"].value() == ADDRESS


def test_a_company_order_makes_a_company_account(client, guest_with_cart):
    order = place_as_guest(client, **COMPANY)

    create_account(client, order)

    user = User.objects.get()
    company = Company.objects.get()
    assert (user.account_type, user.company, user.last_name, user.first_name) == (
        AccountType.COMPANY,
        company,
        "Петров",
        "Пётр",
    )
    assert (company.inn, company.kpp, company.name, company.contact_email) == (
        "7707083893",
        "773601001",
        "ООО «Ромашка»",
        "irina@example.ru",
    )
    assert client.get(URL).status_code == 302  # the cart is empty; the account is signed in
