"""1C repeats a call that timed out while the step behind it still runs: the repeat waits, nothing is done twice."""

import threading

import pytest
from django.db import connection

from catalog.models import Product
from exchange.models import ExchangeSession
from exchange.services import importing
from exchange.services.files import folder_reset
from exchange.services.importing import STEP_RUNNING, file_import_step
from exchange.tests.conftest import data


def _session_with(name: str, content: bytes) -> ExchangeSession:
    session = ExchangeSession.objects.create(folder="concurrency")
    (folder_reset(session=session) / name).write_bytes(content)
    return session


@pytest.mark.django_db
def test_a_step_while_another_runs_answers_progress(monkeypatch):
    session = _session_with("import.xml", data("cml204/import.xml"))
    from django.core.cache import cache

    record = importing.ExchangeFile.objects.create(session=session, name="import.xml")
    cache.add(f"exchange:step:{record.pk}", 1)

    result = file_import_step(session=session, name="import.xml", seconds=5)

    assert (result.done, result.message) == (False, STEP_RUNNING)
    assert not Product.objects.exists()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_two_steps_of_one_file_at_once_import_each_good_once(monkeypatch):
    session = _session_with("import.xml", data("cml204/import.xml"))
    importing.ExchangeFile.objects.create(session=session, name="import.xml")
    started, release = threading.Event(), threading.Event()
    real_apply = importing._apply

    def slow_apply(kind, items, ctx):
        started.set()
        assert release.wait(20)
        return real_apply(kind, items, ctx)

    monkeypatch.setattr(importing, "_apply", slow_apply)
    results = {}

    def first():
        try:
            results["first"] = file_import_step(session=session, name="import.xml", seconds=60)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert started.wait(20)
    results["second"] = file_import_step(session=session, name="import.xml", seconds=60)
    release.set()
    thread.join(30)

    assert results["second"].message == STEP_RUNNING
    assert results["first"].done is True
    assert Product.objects.filter(external_id__isnull=False).count() == 3
