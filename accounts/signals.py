"""Signals other apps listen to; accounts itself never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that anonymises an account; receivers drop what the person left behind.
account_deleted = Signal()  # provides: user
