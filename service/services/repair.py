"""Repair requests (БП-6): files checked, warranty and price decided, slot taken, confirmed."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.models import Region
from core.uploads import UploadRefused, upload_inspect
from service import selectors
from service.models import (
    EquipmentSource,
    RepairAttachment,
    RepairFormat,
    RepairRequest,
    RepairStatus,
    RepairStatusChange,
    ServiceCentre,
    WarrantyStatus,
)
from service.pricing import WarrantyVerdict
from service.services.slots import service_slot_take
from service.services.status import _cost_decide, _request_confirm, _request_fields

MAX_ATTACHMENTS = 10
ATTACHMENT_LIMITS_MB = {"image": 10, "video": 200, "pdf": 20}
TOO_MANY_FILES = "Можно приложить не больше 10 файлов, а выбрано {count}."


def repair_attachments_check(*, files: list) -> list:
    """Inspect each file by its content; ValidationError listing every refusal with its reason."""
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(TOO_MANY_FILES.format(count=len(files)), code="too_many")
    checked, refusals = [], []
    for upload in files:
        try:
            checked.append((upload, upload_inspect(upload, limits_mb=ATTACHMENT_LIMITS_MB)))
        except UploadRefused as refused:
            refusals.append(ValidationError(str(refused), code="refused"))
    if refusals:
        raise ValidationError(refusals)
    return checked


def _warranty_status(verdict) -> str:
    if verdict.is_warranty:
        return WarrantyStatus.WARRANTY
    return WarrantyStatus.UNCHECKED if verdict.pending else WarrantyStatus.PAID


@dataclass
class RepairDraft:
    region: Region
    equipment_model: str
    source: str
    repair_format: str
    slot_id: int
    contact_name: str
    contact_phone: str
    serial_number: str = ""
    purchase_date: datetime.date | None = None
    product_id: int | None = None
    order_line_id: int | None = None
    symptoms: list[str] = field(default_factory=list)
    description: str = ""
    centre: ServiceCentre | None = None
    address: str = ""
    access_notes: str = ""
    files: list = field(default_factory=list)


@transaction.atomic
def repair_request_submit(*, user, draft: RepairDraft, today: datetime.date | None = None) -> RepairRequest:
    """Accept a repair request: check the files, price it, take the slot and confirm it; mail after commit."""
    today = today or timezone.localdate()
    checked = repair_attachments_check(files=draft.files)
    purchase = selectors.purchase_of_user(user=user, line_id=draft.order_line_id)
    if purchase is not None:
        # Bought here: the order, not the customer's word, gives the date and the warranty.
        draft.source, draft.purchase_date = EquipmentSource.OURS, purchase.purchased_on
    else:
        draft.order_line_id = None
    offer = selectors.repair_offer(
        source=draft.source, purchase=purchase, region=draft.region, repair_format=draft.repair_format, today=today
    )
    is_visit = draft.repair_format == RepairFormat.VISIT
    slot = service_slot_take(
        slot_id=draft.slot_id,
        kind=draft.repair_format,
        region=draft.region,
        centre=None if is_visit else draft.centre,
    )
    request = RepairRequest(
        **_request_fields(prefix="R", user=user, draft=draft, slot=slot),
        equipment_model=draft.equipment_model,
        serial_number=draft.serial_number,
        source=draft.source,
        purchase_date=draft.purchase_date,
        product_id=draft.product_id,
        order_line_id=draft.order_line_id,
        symptoms=draft.symptoms,
        description=draft.description,
        format=draft.repair_format,
        centre=slot.centre,
        warranty=_warranty_status(offer.verdict),
        diagnostics_fee=offer.quote.diagnostics_fee if offer.quote else 0,
        visit_fee=offer.quote.visit_fee if offer.quote else 0,
    )
    request.full_clean(exclude=["number", "user", "region", "slot", "centre", "product"])
    request.save()
    for upload, sniffed in checked:
        name = upload.name
        if sniffed.content is not None:
            # A phone's MPO photo is kept as its first frame, a JPEG every viewer opens.
            stem, dot, extension = name.rpartition(".")
            name = f"{stem}.jpg" if dot and extension.lower() == "mpo" else name
            upload = ContentFile(sniffed.content, name=name)
        RepairAttachment.objects.create(
            request=request,
            file=upload,
            original_name=name[:255],
            kind=sniffed.kind,
            content_type=sniffed.content_type,
            size=upload.size,
        )
    return _request_confirm(request, user=user)


@transaction.atomic
def repair_cost_decide(*, request: RepairRequest, user, approve: bool) -> RepairRequest:
    """The customer approves the repair cost (repair starts) or declines it (the request is cancelled)."""
    return _cost_decide(
        request=request,
        user=user,
        approve=approve,
        go_ahead=RepairStatus.IN_REPAIR,
        declined_note="Клиент отказался от ремонта",
    )


WARRANTY_SET_NOTE = "Гарантия: {label}"


@transaction.atomic
def repair_request_set_warranty(*, request: RepairRequest, warranty: str, author, note: str = "") -> RepairRequest:
    """Staff decide the warranty after checking the receipt or the equipment; the fees follow; the move is recorded."""
    request = RepairRequest.objects.select_for_update().select_related("region").get(pk=request.pk)
    if warranty == request.warranty:
        return request
    verdict = WarrantyVerdict(warranty == WarrantyStatus.WARRANTY, "", pending=warranty == WarrantyStatus.UNCHECKED)
    quote = selectors.repair_quote_for(verdict=verdict, region=request.region, repair_format=request.format)
    request.warranty = warranty
    request.warranty_checked_by = author
    request.warranty_checked_at = timezone.now()
    if quote is not None:
        request.diagnostics_fee, request.visit_fee = quote.diagnostics_fee, quote.visit_fee
    request.save(
        update_fields=[
            "warranty",
            "warranty_checked_by",
            "warranty_checked_at",
            "diagnostics_fee",
            "visit_fee",
            "updated_at",
        ]
    )
    label = WarrantyStatus(warranty).label.lower()
    RepairStatusChange.objects.create(
        request=request,
        status=request.status,
        author=author,
        note=(WARRANTY_SET_NOTE.format(label=label) + (f". {note}" if note else ""))[:255],
    )
    return request
