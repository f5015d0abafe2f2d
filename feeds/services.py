"""Writes of the YML feed: build it into a temporary file and publish it whole; ask for a rebuild."""

import contextlib
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from core.storage import private_storage
from feeds.selectors import FEED_NAME, feed_categories, feed_local_path, feed_offers, feed_shop
from feeds.yml import write_yml

logger = logging.getLogger(__name__)

# Locks live in the "default" cache, which never evicts (README, «Redis»).
REBUILD_KEY = "feeds:yml:rebuild"
MISSING_KEY = "feeds:yml:missing"
WRITE_BUFFER = 1 << 20
ABANDONED_AFTER = 60 * 60


@dataclass(frozen=True)
class FeedBuild:
    offers: int
    size: int
    seconds: float


def feed_build() -> FeedBuild:
    """Write the YML feed to a temporary file, then put it in place of the published one in one step."""
    started = time.monotonic()
    target = feed_local_path()
    folder = os.path.dirname(target) if target else None
    if folder:
        os.makedirs(folder, exist_ok=True)
        _remove_abandoned(folder)
    # Beside the published file, so that the rename stays on one filesystem and is atomic.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, removed on failure
        "w",
        encoding="utf-8",
        newline="\n",
        dir=folder,
        prefix=".yml-",
        suffix=".tmp",
        delete=False,
        buffering=WRITE_BUFFER,
    )
    try:
        with handle:
            categories = feed_categories()
            offers = write_yml(
                handle,
                date=timezone.localtime(),
                shop=feed_shop(),
                categories=categories,
                offers=feed_offers(category_ids={c.id for c in categories}),
            )
            handle.flush()
            os.fsync(handle.fileno())
        size = os.path.getsize(handle.name)
        _publish(handle.name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise
    build = FeedBuild(offers=offers, size=size, seconds=time.monotonic() - started)
    logger.info("yml feed built", extra={"offers": build.offers, "bytes": build.size, "seconds": build.seconds})
    return build


def _remove_abandoned(folder: str) -> None:
    # A build killed midway (a worker lost, a time limit) leaves its temporary file; none lives this long.
    cutoff = time.time() - ABANDONED_AFTER
    for path in Path(folder).glob(".yml-*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _publish(temporary: str, target: str | None) -> None:
    if target is not None:
        os.chmod(temporary, 0o644)
        # A reader holding the old file keeps reading it whole; the next one opens the new file.
        os.replace(temporary, target)
        return
    # An object store replaces an object in one upload that completes on close: readers see the old or the new.
    with open(temporary, "rb") as source, private_storage().open(FEED_NAME, "wb") as published:
        shutil.copyfileobj(source, published, WRITE_BUFFER)
    os.unlink(temporary)


def feed_rebuild_soon() -> None:
    """Rebuild the feed a short while after the current transaction commits; edits meanwhile share the build."""
    transaction.on_commit(_rebuild_debounced)


def _rebuild_debounced() -> None:
    from feeds.tasks import feed_build_task

    delay = settings.FEED_REBUILD_DELAY
    # The build starts when the lock runs out, so it reads every edit the lock absorbed.
    if not caches["default"].add(REBUILD_KEY, 1, timeout=delay):
        return
    try:
        feed_build_task.apply_async(countdown=delay)
    except Exception:
        caches["default"].delete(REBUILD_KEY)
        logger.exception("could not enqueue the yml feed build")


def feed_build_missing() -> None:
    """Ask for the first build of a feed that does not exist yet; requests meanwhile share it."""
    from feeds.tasks import feed_build_task

    if not caches["default"].add(MISSING_KEY, 1, timeout=settings.FEED_RETRY_AFTER):
        return
    try:
        feed_build_task.delay()
    except Exception:
        caches["default"].delete(MISSING_KEY)
        logger.exception("could not enqueue the yml feed build")
