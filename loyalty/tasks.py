"""Loyalty tasks: thin and safe to re-run."""

from celery import shared_task

from loyalty.services import points_expire_due


@shared_task(name="loyalty.points_expire", time_limit=1800, soft_time_limit=1700)
def points_expire_task() -> int:
    """Burn the points not spent in time (nightly); re-running burns nothing more."""
    return points_expire_due()
