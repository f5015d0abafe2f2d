from celery import shared_task

from lists.services import stock_arrived_send


@shared_task(
    name="lists.stock_arrived",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=3,
    time_limit=60,
    soft_time_limit=50,
)
def stock_arrived(*, subscription_id: int) -> int:
    """Send the «снова в наличии» letter of one claimed subscription."""
    return stock_arrived_send(subscription_id=subscription_id)
