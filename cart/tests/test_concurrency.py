"""Races on a real PostgreSQL: many requests add to one cart at once."""

import threading

import pytest
from django.db import close_old_connections

from cart.exceptions import LineQuantityLimit
from cart.models import Cart, CartLine
from cart.services import cart_add_item
from catalog.tests.factories import StockFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def race(target, count=THREADS):
    """Run target(i) in `count` threads released at the same moment; return the errors raised."""
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        try:
            barrier.wait()
            target(i)
        except Exception as error:  # every failure is collected and asserted on
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_parallel_adds_of_one_product_sum_up_without_losing_any():
    product = StockFactory(quantity=500).product
    cart = Cart.objects.create(session_key="race")

    errors = race(lambda i: cart_add_item(cart=cart, product=product, quantity=2))

    assert errors == []
    line = CartLine.objects.get(cart=cart)
    assert line.quantity == 2 * THREADS


def test_parallel_adds_never_pass_the_line_limit():
    product = StockFactory(quantity=500).product
    cart = Cart.objects.create(session_key="limit")

    errors = race(lambda i: cart_add_item(cart=cart, product=product, quantity=20))

    line = CartLine.objects.get(cart=cart)
    assert line.quantity == 80  # four adds of 20 fit under 99, the other four are refused
    assert len(errors) == THREADS - 4
    assert all(isinstance(error, LineQuantityLimit) for error in errors)
