from orders.tests.conftest import guest_with_cart, moscow_delivery, stocked_product  # noqa: F401
