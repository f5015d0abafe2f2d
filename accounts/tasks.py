"""Accounts' background work: text messages through the gateway, and their delivery read back."""

from celery import shared_task

from accounts.sms import SmsError, sms_check_statuses, sms_deliver, sms_give_up

# Waits between tries of a message the gateway could not take: 30 s, 1, 2, 4, 8 min.
SMS_RETRY_DELAYS = [30, 60, 120, 240, 480]


@shared_task(name="accounts.sms_send", bind=True, max_retries=len(SMS_RETRY_DELAYS), time_limit=60, soft_time_limit=50)
def sms_send_task(self, *, message_id: int, text: str) -> str:
    """Send one recorded message; a temporary failure is tried again later, a permanent one is recorded."""
    try:
        return sms_deliver(message_id=message_id, text=text).status
    except SmsError as error:
        if error.retryable and self.request.retries < self.max_retries:
            raise self.retry(countdown=SMS_RETRY_DELAYS[self.request.retries]) from error
        sms_give_up(message_id=message_id)
        return "failed"


@shared_task(name="accounts.sms_check_statuses", time_limit=300, soft_time_limit=270)
def sms_check_statuses_task() -> int:
    """Read back the delivery of recently sent messages (the beat runs it every few minutes)."""
    return sms_check_statuses()
