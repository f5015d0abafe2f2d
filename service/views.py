"""Service pages: the two request forms, my requests, one request, its files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.services import staff_download_record
from service import selectors
from service.documents import act_due
from service.exceptions import DecisionNotExpected, SlotTaken, SlotUnavailable
from service.forms import ACTION_REFRESH, InstallationForm, RepairForm
from service.models import InstallationRequest, RepairRequest
from service.services import (
    InstallationDraft,
    RepairDraft,
    installation_estimate_decide,
    installation_request_submit,
    repair_cost_decide,
    repair_request_submit,
)

CONFIRMED = "Заявка {number} подтверждена"


def _initial(user) -> dict:
    return {
        "region": user.region,
        "contact_name": user.get_full_name() if user.first_name else "",
        "contact_phone": user.phone or "",
    }


def _shown_without_errors(form) -> None:
    """A recalculation shows prices and times for what is filled in, without scolding for what is not yet."""
    form.full_clean()
    form.errors.clear()


@login_required
def repair_new(request):
    today = timezone.localdate()
    purchases = selectors.purchases_of_user(user=request.user)
    if request.method != "POST":
        form = RepairForm(initial=_initial(request.user), today=today, purchases=purchases)
    else:
        form = RepairForm(request.POST, request.FILES, today=today, purchases=purchases)
        if request.POST.get("action") == ACTION_REFRESH:
            _shown_without_errors(form)
        elif form.is_valid():
            data = form.cleaned_data
            draft = RepairDraft(
                region=data["region"],
                equipment_model=data["equipment_model"] or (form.product.name[:150] if form.product else ""),
                source=data["source"],
                repair_format=data["repair_format"],
                slot_id=int(data["slot"]),
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                serial_number=data["serial_number"],
                purchase_date=data["purchase_date"],
                product_id=form.product.pk if form.product else None,
                order_line_id=int(data["purchase"]) if data.get("purchase") else None,
                symptoms=data["symptoms"],
                description=data["description"],
                centre=data["centre"],
                address=data["address"],
                access_notes=data["access_notes"],
                files=data["attachments"],
            )
            try:
                repair = repair_request_submit(user=request.user, draft=draft, today=today)
            except (SlotTaken, SlotUnavailable) as refused:
                form.add_error("slot", refused.message)
            except ValidationError as invalid:
                # The files' own refusals go beside the files; anything else the model refuses, above the form.
                if hasattr(invalid, "error_dict"):
                    form.add_error(None, invalid.messages)
                else:
                    form.add_error("attachments", invalid)
            else:
                messages.success(request, CONFIRMED.format(number=repair.number))
                return redirect(repair)
    return render(request, "service/repair_form.html", {"form": form, "offer": form.offer()})


def _prefilled(request):
    """The answers a link carries (the CCTV configurator's), with the account's details where it says nothing."""
    data = request.GET.copy()
    for name, value in _initial(request.user).items():
        if name not in data and value:
            data[name] = getattr(value, "pk", value)
    return data


@login_required
def installation_new(request):
    today = timezone.localdate()
    if request.method != "POST" and request.GET.get("goals"):
        # A filled-in link shows the estimate at once, without scolding for the slot and date not chosen yet.
        form = InstallationForm(_prefilled(request), today=today)
        _shown_without_errors(form)
    elif request.method != "POST":
        form = InstallationForm(initial=_initial(request.user), today=today)
    else:
        form = InstallationForm(request.POST, today=today)
        if request.POST.get("action") == ACTION_REFRESH:
            _shown_without_errors(form)
        elif form.is_valid():
            data = form.cleaned_data
            draft = InstallationDraft(
                region=data["region"],
                object_type_id=data["object_type"].pk if data["object_type"] else None,
                object_type_slug=data["object_type"].slug if data["object_type"] else "",
                area_m2=data["area_m2"],
                floors=data["floors"],
                goals=data["goals"],
                desired_date=data["desired_date"],
                package=data["package"],
                slot_id=int(data["slot"]),
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                address=data["address"],
                access_notes=data["access_notes"],
                access_mode=data["access_mode"],
                has_internet=data["has_internet"],
                has_lan=data["has_lan"],
                special_zones=data["special_zones"],
                turnkey=data["equipment"] == "turnkey",
                own_equipment=data["own_equipment"],
                wants_survey=data["wants_survey"],
            )
            try:
                installation = installation_request_submit(user=request.user, draft=draft)
            except (SlotTaken, SlotUnavailable) as refused:
                form.add_error("slot", refused.message)
            except ValidationError as invalid:
                form.add_error(None, invalid.messages)
            else:
                messages.success(request, CONFIRMED.format(number=installation.number))
                return redirect(installation)
    survey = form.survey()
    estimates = selectors.installation_estimates(survey=survey) if survey else []
    chosen = str(form["package"].value() or "")
    return render(
        request, "service/installation_form.html", {"form": form, "estimates": estimates, "chosen_package": chosen}
    )


@login_required
def request_list(request):
    return render(request, "service/request_list.html", {"requests": selectors.requests_of_user(user=request.user)})


@login_required
def request_detail(request, number: str):
    service_request = selectors.request_of_user(user=request.user, number=number)
    context = {
        "req": service_request,
        "is_repair": isinstance(service_request, RepairRequest),
        "act_due": act_due(request=service_request),
    }
    if isinstance(service_request, InstallationRequest):
        lines = [line for line in service_request.estimate_lines.all() if line.package_id == service_request.package_id]
        context["estimate_lines"] = lines
        context["final_cost"] = selectors.installation_final_cost(request=service_request)
    return render(request, "service/request_detail.html", context)


@login_required
@require_POST
def request_decide(request, number: str):
    service_request = selectors.request_of_user(user=request.user, number=number)
    approve = request.POST.get("decision") == "approve"
    decide = repair_cost_decide if isinstance(service_request, RepairRequest) else installation_estimate_decide
    try:
        decide(request=service_request, user=request.user, approve=approve)
    except DecisionNotExpected as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, "Стоимость согласована: приступаем." if approve else "Вы отказались: заявка отменена."
        )
    return redirect(service_request)


def _private_download(file, *, filename: str, content_type: str) -> FileResponse:
    """A private file as a download that no cache keeps and no browser reinterprets."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment_download(request, token):
    attachment = selectors.attachment_for(user=request.user, token=token)
    response = _private_download(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
    if attachment.request.user_id != request.user.pk:
        what = f"Файл «{attachment.original_name}» заявки {attachment.request.number}"
        staff_download_record(user=request.user, what=what, path=request.path)
    return response


@login_required
def act_download(request, number: str):
    service_request = selectors.act_for(user=request.user, number=number)
    response = _private_download(
        service_request.act, filename=f"act-{service_request.number}.pdf", content_type="application/pdf"
    )
    if service_request.user_id != request.user.pk:
        staff_download_record(user=request.user, what=f"Акт {service_request.number}", path=request.path)
    return response
