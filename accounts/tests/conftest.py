import pytest

from accounts.sms import LocmemSmsBackend


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    """Text messages go to a list the test can read."""
    settings.SMS_BACKEND = "accounts.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox


@pytest.fixture
def sms_outbox(_sms_outbox):
    return _sms_outbox
