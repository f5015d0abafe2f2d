from celery import shared_task

from notices.services import notice_deliver, notices_due


@shared_task(
    name="notices.deliver",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=5,
    time_limit=60,
    soft_time_limit=50,
)
def notice_deliver_task(*, notice_id: int) -> str:
    """Send one notice once; a re-run of a sent one sends nothing."""
    return notice_deliver(notice_id=notice_id).status


@shared_task(name="notices.sweep", time_limit=300, soft_time_limit=240)
def notices_sweep_task() -> int:
    """Hand over the notices that waited out the quiet hours or that a broker outage left queued."""
    due = notices_due()
    for notice_id in due:
        notice_deliver_task.delay(notice_id=notice_id)
    return len(due)
