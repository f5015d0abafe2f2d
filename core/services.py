"""Writes every app shares."""

from core.models import StaffDownload


def staff_download_record(*, user, what: str, path: str) -> None:
    """Record that a staff member downloaded a customer's file or document («Акт U-000012», its address)."""
    StaffDownload.objects.create(user=user, what=what[:200], path=path[:500])
