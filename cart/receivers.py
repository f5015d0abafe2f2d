"""The cart's reactions to what happens in accounts: a login brings the guest's cart along."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.signals import account_deleted
from cart.services import GUEST_CART_SESSION_KEY, cart_discard_for_user, cart_merge_guest


@receiver(user_logged_in, dispatch_uid="cart_merge_guest_at_login")
def merge_guest_cart(sender, request, user, **kwargs):
    # Django gives the session a new key at login; the guest cart's key was kept in the session data.
    if request is None or not hasattr(request, "session"):
        return
    cart_merge_guest(session_key=request.session.pop(GUEST_CART_SESSION_KEY, None), user=user)


@receiver(account_deleted, dispatch_uid="cart_discard_for_deleted_account")
def discard_cart(sender, user, **kwargs):
    cart_discard_for_user(user=user)
