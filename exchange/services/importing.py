"""One step of an import: read a file's records from where the last step stopped, for a bounded time.

Records go in batches, each in its own transaction together with the file's position, so a step cut short
(by its time or by a failure) leaves the catalogue and the position consistent and the next call resumes
after the last batch committed. Caches hear only of what changed, after commit, through catalog.changes: every
catalogue write here is a save or a catalogue queryset's write. 1C's directory values (exchange.DirectoryValue) are
shown on no page; a product shows the value its good brought, written as an attribute value.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import Product
from catalog.services import product_refresh_search, products_set_active
from exchange import commerceml
from exchange.commerceml import XmlBroken
from exchange.exceptions import ExchangeRefused
from exchange.models import ExchangeFile, ExchangeSession, SeenGood, Withdrawal, WithdrawalReason
from exchange.services import goods, offers
from exchange.services.context import Context
from exchange.services.files import NO_FILE, file_path, safe_name

BATCH = 250
STEP_LOCK_SLACK = 300
STEP_RUNNING = "Предыдущий шаг загрузки ещё идёт"
SPLIT_PREFIXES = ("import___", "offers___", "prices___", "rests___")


@dataclass(frozen=True)
class StepResult:
    done: bool
    message: str = ""


def _apply(kind: str, items: list, ctx: Context) -> None:
    if kind == "groups":
        for record in items:
            goods.groups_apply(commerceml.groups(record), ctx)
    elif kind == "property":
        for record in items:
            goods.property_apply(commerceml.property_of(record), ctx)
    elif kind == "price_type":
        for record in items:
            offers.price_type_apply(commerceml.reference_of(record), ctx)
    elif kind == "warehouse":
        for record in items:
            offers.warehouse_apply(commerceml.reference_of(record), ctx)
    elif kind == "good":
        goods.goods_apply([commerceml.good_of(r) for r in items], ctx)
    elif kind == "offer":
        offers.offers_apply([commerceml.offer_of(r) for r in items], ctx)


def _flush(kind: str, items: list, position: int, ctx: Context, record: ExchangeFile) -> None:
    """Apply a batch and move the file's position in one transaction; tell the caches after commit."""
    ctx.report = type(ctx.report)()
    with transaction.atomic():
        _apply(kind, items, ctx)
        ExchangeFile.objects.filter(pk=record.pk).update(position=position)
        report = ctx.report
        if report.searched_products:
            product_refresh_search(product_ids=sorted(report.searched_products))
        ExchangeSession.objects.filter(pk=ctx.session.pk).update(
            created=F("created") + report.created,
            updated=F("updated") + report.updated,
            withdrawn=F("withdrawn") + report.withdrawn,
            errors=F("errors") + len(report.errors),
        )
    record.position = position


def is_split(name: str) -> bool:
    return name.rsplit("/", 1)[-1].startswith(SPLIT_PREFIXES)


def file_import_step(*, session: ExchangeSession, name: str, seconds: float) -> StepResult:
    """Import from a file of the session's folder for about `seconds`; done when the file is through."""
    path = file_path(session, name)
    if not path.is_file():
        raise ExchangeRefused(NO_FILE)
    name = safe_name(name)  # as file_receive recorded it
    record, _ = ExchangeFile.objects.get_or_create(session=session, name=name, defaults={"size": path.stat().st_size})
    if record.imported_at is not None:
        return StepResult(done=True, message="Файл уже загружен")
    # 1C repeats a call that timed out while the step behind it still runs: the repeat waits its turn.
    lock = f"exchange:step:{record.pk}"
    if not cache.add(lock, 1, timeout=int(seconds) + STEP_LOCK_SLACK):
        return StepResult(done=False, message=STEP_RUNNING)
    try:
        return _step(session, name, path, record, seconds)
    finally:
        cache.delete(lock)


def _step(session: ExchangeSession, name: str, path, record: ExchangeFile, seconds: float) -> StepResult:
    ctx = Context.load(session=session, filename=name)
    deadline = time.monotonic() + seconds
    kind, items, index = "", [], 0
    try:
        for item in commerceml.records(path):
            if item.kind in ("catalog", "offers"):
                ctx.full_unload = item.element.get("СодержитТолькоИзменения", "").strip().lower() == "false"
                continue
            index += 1
            if index <= record.position:
                continue
            if items and (item.kind != kind or len(items) >= BATCH):
                _flush(kind, items, index - 1, ctx, record)
                items = []
                if time.monotonic() >= deadline:
                    return StepResult(done=False, message=f"Прочитано записей: {record.position}")
            kind = item.kind
            items.append(item)
    except XmlBroken as broken:
        raise ExchangeRefused(broken.message, line=broken.line) from broken
    if items:
        _flush(kind, items, index, ctx, record)
    ExchangeFile.objects.filter(pk=record.pk).update(imported_at=timezone.now())
    if ctx.full_unload and not is_split(name) and name.rsplit("/", 1)[-1].startswith("import"):
        unload_withdraw_missing(session=session)
    return StepResult(done=True)


def unload_withdraw_missing(*, session: ExchangeSession) -> int:
    """Take off sale the goods from 1C that the session's full unload did not hold; never delete them."""
    seen = SeenGood.objects.filter(session=session).values("product_id")
    if not SeenGood.objects.filter(session=session).exists():
        return 0
    missing = list(
        Product.objects.filter(external_id__isnull=False, is_active=True)
        .exclude(pk__in=seen)
        .exclude(base_product_id__in=seen)  # a variant goes with its base product
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        Withdrawal.objects.bulk_create(
            [Withdrawal(product_id=pk, reason=WithdrawalReason.NOT_IN_UNLOAD, session=session) for pk in missing],
            ignore_conflicts=True,
        )
        withdrawn = products_set_active(product_ids=missing, is_active=False) if missing else 0
        ExchangeSession.objects.filter(pk=session.pk).update(withdrawn=F("withdrawn") + withdrawn)
        SeenGood.objects.filter(session=session).delete()
    return withdrawn
