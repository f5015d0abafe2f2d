"""The lists' reactions to what happens below them: a login brings the guest's lists along; a committed
catalogue change tells the subscribers whose product arrived."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from catalog.signals import catalogue_changed
from lists.owners import GUEST_LISTS_SESSION_KEY
from lists.services import lists_merge_guest, stock_arrivals_notify
from lists.viewed import viewed_merge_guest


@receiver(user_logged_in, dispatch_uid="lists_merge_guest_at_login")
def merge_guest_lists(sender, request, user, **kwargs):
    # Django gives the session a new key at login; the guest lists' key was kept in the session data.
    if request is None or not hasattr(request, "session"):
        return
    session_key = request.session.pop(GUEST_LISTS_SESSION_KEY, None)
    if session_key:
        lists_merge_guest(session_key=session_key, user=user)
        viewed_merge_guest(session_key=session_key, user=user)


@receiver(catalogue_changed, dispatch_uid="lists_stock_arrivals_notify")
def notify_stock_arrivals(sender, **kwargs):
    stock_arrivals_notify()
