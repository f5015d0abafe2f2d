import pytest

from orders.tests.conftest import guest_with_cart, moscow_delivery, stocked_product  # noqa: F401 - fixtures
from orders.tests.factories import cart_of, place


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run an action and then what it sent after commit (documents, refunds, receipts), as a worker would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def yookassa(settings, httpserver):
    settings.YOOKASSA_SHOP_ID = "123456"
    settings.YOOKASSA_SECRET_KEY = "test_secret"
    settings.YOOKASSA_API_URL = httpserver.url_for("/v3")
    return httpserver


@pytest.fixture
def order(moscow_delivery, stocked_product):  # noqa: F811 - the fixtures above
    return place(
        cart_of((stocked_product("5000.00", quantity=5, product__name="Камера IP-2"), 3)), moscow_delivery["point"]
    )


@pytest.fixture
def two_line_order(moscow_delivery, stocked_product):  # noqa: F811 - the fixtures above
    """Three 5 000 ₽ cameras and two 1 000 ₽ power supplies, collected from a pickup point for 199 ₽."""
    return place(
        cart_of(
            (stocked_product("5000.00", product__name="Камера IP-2"), 3),
            (stocked_product("1000.00", product__name="Блок питания 12 В"), 2),
        ),
        moscow_delivery["point"],
    )
