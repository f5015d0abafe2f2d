"""Background work of the feeds: building the YML file, re-run safely since each build replaces the last."""

from celery import shared_task

from feeds.services import feed_build


@shared_task(
    name="feeds.build", time_limit=600, soft_time_limit=540, autoretry_for=(OSError,), retry_backoff=60, max_retries=3
)
def feed_build_task() -> int:
    """Build the YML feed and publish it in place of the last one."""
    return feed_build().offers
