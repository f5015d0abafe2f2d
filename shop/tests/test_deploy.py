"""The production kit: beat's chores name real tasks; deploy files parse and say what README says."""

from celery.schedules import crontab


def test_every_beat_entry_names_a_registered_task(settings):
    from shop.celery import app

    app.loader.import_default_modules()

    missing = {
        name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"] not in app.tasks
    }

    assert missing == {}


def test_beat_does_the_chores(settings):
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks["orders.release_expired"] == 60
    assert tasks["payments.reconcile"] == 120
    assert tasks["orders.documents_sweep"] == 600
    assert tasks["service.slots_generate"] == crontab(hour=2, minute=30)
    assert tasks["loyalty.points_expire"] == crontab(hour=3, minute=15)
