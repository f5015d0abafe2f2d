import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from cart.models import Cart, CartLine
from cart.services import cart_delete_stale
from cart.tasks import cart_cleanup_task
from cart.tests.factories import CartFactory, CartLineFactory

pytestmark = pytest.mark.django_db


def aged(cart: Cart, days: int) -> Cart:
    moment = timezone.now() - datetime.timedelta(days=days)
    Cart.objects.filter(pk=cart.pk).update(updated_at=moment)
    CartLine.objects.filter(cart=cart).update(updated_at=moment)
    return cart


def test_guest_carts_untouched_for_30_days_are_deleted_with_their_lines():
    old = aged(CartLineFactory().cart, 31)
    fresh = aged(CartLineFactory().cart, 29)
    customers = aged(CartFactory(user=UserFactory(), session_key=None), 400)

    assert cart_delete_stale() == 1

    assert set(Cart.objects.values_list("pk", flat=True)) == {fresh.pk, customers.pk}
    assert not CartLine.objects.filter(cart_id=old.pk).exists()


def test_a_recently_changed_line_keeps_its_cart():
    cart = aged(CartLineFactory().cart, 45)
    CartLine.objects.filter(cart=cart).update(updated_at=timezone.now())

    assert cart_delete_stale() == 0


def test_command_cart_cleanup(capsys):
    aged(CartFactory(), 31)

    call_command("cart_cleanup")

    assert "Deleted guest carts: 1" in capsys.readouterr().out
    assert not Cart.objects.exists()


def test_periodic_task_deletes_and_is_scheduled():
    aged(CartFactory(), 60)

    assert cart_cleanup_task.apply().get() == 1
    assert settings.CELERY_BEAT_SCHEDULE["cart-cleanup"]["task"] == cart_cleanup_task.name
