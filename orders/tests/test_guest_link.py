"""A guest reaches their order by the secret link from the email, in any browser; nobody else does."""

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from orders.tests.factories import cart_of, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(moscow_delivery, stocked_product):
    return place(cart_of((stocked_product("5000.00", quantity=3), 1)), moscow_delivery["point"])


def test_the_secret_link_opens_the_guests_order_in_a_new_browser(order):
    browser = Client()
    assert browser.get(f"/orders/{order.number}/").status_code == 404

    response = browser.get(f"/orders/{order.number}/{order.secret}/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(f"/orders/{order.number}/", 302)]
    page = response.content.decode()
    assert f"Заказ {order.number}" in page
    assert "Оплатить" in page
    assert f"/orders/{order.number}/{order.secret}/" in page
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("secret", ["x" * 22, "A" * 32, "0" * 20])
def test_a_wrong_secret_opens_nothing(order, secret):
    browser = Client()

    assert browser.get(f"/orders/{order.number}/{secret}/").status_code == 404
    assert browser.get(f"/orders/{order.number}/").status_code == 404


def test_a_secret_opens_its_own_order_only(order, moscow_delivery, stocked_product):
    other = place(cart_of((stocked_product("1000.00", quantity=3), 1)), moscow_delivery["point"])
    browser = Client()

    assert browser.get(f"/orders/{other.number}/{order.secret}/").status_code == 404
    browser.get(f"/orders/{order.number}/{order.secret}/")
    assert browser.get(f"/orders/{other.number}/").status_code == 404


def test_an_accounts_order_is_not_opened_by_a_secret(moscow_delivery, stocked_product):
    user = UserFactory()
    order = place(cart_of((stocked_product("1000.00", quantity=3), 1), user=user), moscow_delivery["point"], user=user)

    assert Client().get(f"/orders/{order.number}/{order.secret}/").status_code == 404
