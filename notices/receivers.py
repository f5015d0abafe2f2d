"""The notices app's reactions to what happens in accounts."""

from django.dispatch import receiver

from accounts.signals import account_deleted
from notices.services import notices_personal_data_erase


@receiver(account_deleted, dispatch_uid="notices_erase_personal_data_of_deleted_account")
def erase_personal_data(sender, user, **kwargs):
    notices_personal_data_erase(user=user)
