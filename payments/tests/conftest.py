import pytest

from orders.tests.conftest import guest_with_cart, moscow_delivery, stocked_product  # noqa: F401


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run an action and then what it sent after commit (documents, refunds, receipts), as a worker would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run
