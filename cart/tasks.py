from celery import shared_task

from cart.services import cart_delete_stale


@shared_task(name="cart.cleanup", time_limit=300, soft_time_limit=240, max_retries=3, default_retry_delay=600)
def cart_cleanup_task() -> int:
    """Delete guest carts nobody touched for 30 days; safe to run again at any time."""
    return cart_delete_stale()
