import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from catalog.tests.factories import ProductFactory, StockFactory


@pytest.fixture
def product_in_stock():
    """A product on sale with ten units in a warehouse."""
    return StockFactory(quantity=10).product


@pytest.fixture
def product_out_of_stock():
    return ProductFactory()


@pytest.fixture
def guest_cart(client):
    """The cart of a returning guest whose session cookie the test client sends."""
    from cart.tests.factories import CartFactory

    session = SessionStore()
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return CartFactory(session_key=session.session_key)


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(email="buyer@example.ru", password="Kamera-2026-dom")
