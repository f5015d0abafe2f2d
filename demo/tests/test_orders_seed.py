import pytest

from demo.checkout import demo_checkout_seed
from demo.data import CUSTOMER_EMAIL
from demo.orders import SELLER, demo_orders_seed
from demo.seed import demo_catalog_seed, demo_users_ensure
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db


def _account_key_ok(key: str, account: str) -> bool:
    weights = [7, 1, 3] * 8
    return sum(int(d) * weights[i] % 10 for i, d in enumerate(key + account)) % 10 == 0


def test_the_demo_seller_details_pass_their_checks():
    from stdnum.ru import inn

    assert inn.is_valid(SELLER["inn"])
    ogrn = SELLER["ogrn"]
    assert int(ogrn[:12]) % 11 % 10 == int(ogrn[12])
    bik = SELLER["bik"]
    assert _account_key_ok(bik[-3:], SELLER["settlement_account"])
    assert _account_key_ok("0" + bik[4:6], SELLER["correspondent_account"])
    assert not _account_key_ok(bik[-3:], SELLER["settlement_account"][:8] + "0" + SELLER["settlement_account"][9:])


def test_demo_orders_in_every_state_after_the_sale_each_with_documents(django_capture_on_commit_callbacks):
    from catalog.selectors import stock_drift
    from orders.models import ReturnStatus
    from payments.models import RefundStatus

    demo_catalog_seed(images=False)
    demo_users_ensure()
    demo_checkout_seed()

    with django_capture_on_commit_callbacks(execute=True):
        numbers = demo_orders_seed()

    orders = {o.number: o for o in Order.objects.filter(user__email=CUSTOMER_EMAIL)}
    assert sorted(numbers) == sorted(orders)
    paid, cancelled, received, on_receipt = (orders[n] for n in numbers)
    assert [o.status for o in (paid, cancelled, received, on_receipt)] == [
        OrderStatus.PAID,
        OrderStatus.CANCELLED,
        OrderStatus.COMPLETED,
        OrderStatus.ACCEPTED,
    ]
    assert paid.documents.count() == 2
    refund = cancelled.refunds.get()
    assert (refund.amount, refund.status) == (cancelled.total, RefundStatus.SUCCEEDED)
    assert received.returns.get().status == ReturnStatus.REQUESTED
    assert stock_drift() == []
    assert demo_orders_seed() == []


def test_the_demo_customer_can_try_a_warranty_repair_of_a_camera_from_their_purchases():
    import datetime

    from django.contrib.auth import get_user_model

    from demo.orders import CAMERA_SERIAL
    from service.pricing import SOURCE_OURS, warranty_check
    from service.selectors import purchases_of_user

    demo_catalog_seed(images=False)
    demo_users_ensure()
    demo_checkout_seed()
    demo_orders_seed()

    purchases = purchases_of_user(user=get_user_model().objects.get(email=CUSTOMER_EMAIL))
    camera = next(p for p in purchases if CAMERA_SERIAL in p.serials)
    assert "камера" in camera.name.lower()
    verdict = warranty_check(
        source=SOURCE_OURS,
        purchase_date=camera.purchased_on,
        warranty_months=camera.warranty_months,
        today=datetime.date.today(),
    )
    assert verdict.is_warranty


def test_the_seller_is_the_operator_the_current_consent_text_names():
    from accounts.consent_texts import PUBLISHED

    current = PUBLISHED[-1][3]
    assert f"ИНН {SELLER['inn']}" in current
    assert f"ОГРН {SELLER['ogrn']}" in current
    assert SELLER["address"] in current
