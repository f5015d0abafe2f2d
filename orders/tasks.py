import logging

from celery import shared_task

from orders.services.documents import order_documents_make, orders_missing_documents
from orders.services.status import order_expire_due

logger = logging.getLogger(__name__)


@shared_task(
    name="orders.documents",
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    max_retries=5,
    time_limit=120,
    soft_time_limit=100,
)
def order_documents_task(self, *, order_id: int) -> list[str]:
    """Make the order's documents; re-running overwrites them."""
    return order_documents_make(order_id=order_id)


@shared_task(
    name="orders.paid_email",
    autoretry_for=(Exception,),
    retry_backoff=60,
    max_retries=5,
    time_limit=60,
    soft_time_limit=50,
)
def order_paid_email_task(*, order_id: int) -> int:
    """Mail the buyer that the order is paid."""
    from orders.notices import order_notice_send

    return order_notice_send(order_id=order_id, kind="paid")


@shared_task(
    name="orders.email",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=5,
    time_limit=60,
    soft_time_limit=50,
)
def order_email_task(*, order_id: int, kind: str, amount: str = "", reason: str = "", event_id: str = "") -> int:
    """Tell the buyer about the order (placed, shipped, ready, cancelled, refunded): by email, or by SMS."""
    from orders.notices import order_notice_send

    return order_notice_send(order_id=order_id, kind=kind, amount=amount, reason=reason, event_id=event_id)


@shared_task(name="orders.documents_sweep", time_limit=600, soft_time_limit=540)
def order_documents_sweep_task() -> int:
    """Make the documents of the orders still flagged `documents_due` (a worker or broker outage left them unmade)."""
    missing = orders_missing_documents()
    for order_id in missing:
        order_documents_task.delay(order_id=order_id)
    return len(missing)


@shared_task(name="orders.release_expired", time_limit=300, soft_time_limit=240)
def release_expired_task() -> int:
    """Cancel unpaid orders whose reservation ran out and release any other expired reservation."""
    from catalog.services import stock_release_expired

    cancelled = order_expire_due()
    stock_release_expired()
    return len(cancelled)
