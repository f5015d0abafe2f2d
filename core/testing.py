"""Helpers for tests that race real threads against a real database."""

import threading
from collections.abc import Callable

from django.db import connection


def race(target: Callable[[int], object], count: int) -> tuple[list, list[Exception]]:
    """Run target(i) in `count` threads released together, each on its own connection.

    Returns the values returned and the exceptions raised.
    """
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait(timeout=30)
            value = target(i)
            with lock:
                results.append(value)
        except Exception as error:  # every failure is collected and asserted on
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors
