import datetime

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin import BoundedDateHierarchyMixin
from notices.admin import NoticeInline
from service.documents import installation_act_make, repair_act_make
from service.exceptions import SlotTaken, SlotUnavailable, TransitionNotAllowed
from service.models import (
    Crew,
    EstimateLine,
    EstimateRule,
    InstallationPackage,
    InstallationRequest,
    InstallationStatus,
    InstallationStatusChange,
    RepairAttachment,
    RepairRequest,
    RepairStatus,
    RepairStatusChange,
    ServiceCentre,
    ServiceSlot,
    ServiceZone,
    Technician,
    WarrantyStatus,
    WorkLine,
)
from service.notices import service_departed_announce
from service.services import (
    INSTALLATION_TRANSITIONS,
    REPAIR_TRANSITIONS,
    installation_request_set_status,
    repair_request_set_status,
    repair_request_set_warranty,
    service_request_slot_move,
)

ACT_NOT_DUE = "Акт формируется только после передачи системы клиенту; остальные заявки пропущены."
REPAIR_ACT_NOT_DUE = (
    "Акт формируется только для платного ремонта в статусе «Готово» или «Закрыта»; остальные заявки пропущены."
)
HOURS_FIELDS = ("work_days", "work_start", "work_end", "slot_minutes", "slot_capacity", "is_active")


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "address", "work_start", "work_end", "is_active"]
    list_filter = ["region", "is_active"]
    fields = ["name", "region", "address", *HOURS_FIELDS, "courier_capacity"]


@admin.register(Technician)
class TechnicianAdmin(admin.ModelAdmin):
    list_display = ["name", "centre", "work_days", "work_start", "work_end", "is_active"]
    list_filter = ["regions", "centre", "is_active"]
    filter_horizontal = ["regions"]
    fields = ["name", "phone", "centre", "regions", *HOURS_FIELDS]


@admin.register(Crew)
class CrewAdmin(admin.ModelAdmin):
    list_display = ["name", "leader", "work_days", "work_start", "work_end", "is_active"]
    list_filter = ["regions", "is_active"]
    filter_horizontal = ["regions"]
    fields = ["name", "leader", "regions", *HOURS_FIELDS]


@admin.register(ServiceSlot)
class ServiceSlotAdmin(BoundedDateHierarchyMixin, admin.ModelAdmin):
    list_display = ["starts_at", "ends_at", "kind", "technician", "centre", "crew", "capacity", "booked"]
    list_filter = ["kind", "technician", "centre", "crew"]
    date_hierarchy = "starts_at"
    readonly_fields = ["booked"]
    list_select_related = ["technician", "centre", "crew"]


@admin.register(ServiceZone)
class ServiceZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "visit_fee", "diagnostics_fee"]
    filter_horizontal = ["regions"]


@admin.register(InstallationPackage)
class InstallationPackageAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "coverage", "position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(EstimateRule)
class EstimateRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "section", "basis", "goal", "object_type", "quantity", "unit", "price", "is_active"]
    list_filter = ["section", "basis", "goal", "object_type", "is_active"]
    list_editable = ["price", "is_active"]
    filter_horizontal = ["packages"]


class StatusForm(forms.ModelForm):
    """Staff move a status only through the service, which checks the transition map."""

    new_status = forms.ChoiceField(label="Перевести в статус", required=False)
    new_slot = forms.ModelChoiceField(
        label="Перенести на слот",
        queryset=ServiceSlot.objects.none(),
        required=False,
        help_text="Место в новом слоте занимается, в старом освобождается.",
    )
    status_note = forms.CharField(label="Комментарий к смене статуса", required=False, max_length=255)

    transitions: dict = {}
    statuses = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status if self.instance.pk else None
        allowed = self.transitions.get(current, set()) if current else set()
        self.fields["new_status"].choices = [("", "— не менять —")] + [
            (value, label) for value, label in self.statuses.choices if value in allowed
        ]
        slot = self.instance.slot if self.instance.pk and self.instance.slot_id else None
        if slot is not None:
            now = timezone.now()
            self.fields["new_slot"].queryset = ServiceSlot.objects.filter(
                kind=slot.kind,
                starts_at__gt=now,
                starts_at__lt=now + datetime.timedelta(days=31),
                booked__lt=models.F("capacity"),
            ).select_related("technician", "centre", "crew")


class RepairStatusForm(StatusForm):
    transitions = REPAIR_TRANSITIONS
    statuses = RepairStatus

    new_warranty = forms.ChoiceField(
        label="Решение по гарантии",
        required=False,
        choices=[("", "— не менять —"), *WarrantyStatus.choices],
        help_text=(
            "После проверки чека или оборудования; диагностика и выезд пересчитываются, решение попадает в историю."
        ),
    )


class InstallationStatusForm(StatusForm):
    transitions = INSTALLATION_TRANSITIONS
    statuses = InstallationStatus


class HistoryInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = ["created_at", "status", "author", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RepairHistoryInline(HistoryInline):
    model = RepairStatusChange


class InstallationHistoryInline(HistoryInline):
    model = InstallationStatusChange


class AttachmentInline(admin.TabularInline):
    model = RepairAttachment
    extra = 0
    can_delete = False
    fields = ["download", "kind", "content_type", "size", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="файл")
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("service:attachment", args=[obj.token]), obj.original_name)


class EstimateLineInline(admin.TabularInline):
    model = EstimateLine
    extra = 0
    can_delete = False
    fields = ["package", "section", "name", "quantity", "unit", "price", "total"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class WorkLineInline(admin.TabularInline):
    """The final cost the act prints: copied from the chosen package when installation starts, corrected by staff."""

    model = WorkLine
    extra = 0
    fields = ["position", "section", "name", "quantity", "unit", "price", "line_total"]
    readonly_fields = ["line_total"]

    @admin.display(description="сумма, ₽")
    def line_total(self, obj):
        return obj.total if obj.pk else "—"


class RequestAdmin(BoundedDateHierarchyMixin, admin.ModelAdmin):
    date_hierarchy = "created_at"
    search_fields = ["number", "user__email", "user__phone", "contact_phone", "contact_name"]
    set_status = None
    make_act = None
    act_not_due = ""
    actions = ["regenerate_act", "technician_departed"]

    @admin.display(description="акт выполненных работ")
    def act_link(self, obj):
        if not obj.act:
            return "—"
        return format_html('<a href="{}">act-{}.pdf</a>', reverse("service:act", args=[obj.number]), obj.number)

    @admin.action(description="Сформировать акт выполненных работ заново", permissions=["change"])
    def regenerate_act(self, request, queryset):
        made = [number for pk, number in queryset.values_list("pk", "number") if type(self).make_act(request_id=pk)]
        skipped = queryset.count() - len(made)
        if made:
            self.message_user(request, f"Акт сформирован: {', '.join(made)}", messages.SUCCESS)
        if skipped:
            self.message_user(request, self.act_not_due, messages.WARNING)

    @admin.action(description="Мастер выехал — сообщить клиенту", permissions=["change"])
    def technician_departed(self, request, queryset):
        numbers = list(queryset.values_list("number", flat=True))
        service_departed_announce(numbers=numbers)
        self.message_user(request, f"Клиентам сообщено, что мастер выехал: {', '.join(numbers)}", messages.SUCCESS)

    def has_add_permission(self, request):
        # Requests come from customers through the site's forms.
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if slot := form.cleaned_data.get("new_slot"):
            try:
                service_request_slot_move(request=obj, slot=slot)
            except (SlotTaken, SlotUnavailable) as refused:
                self.message_user(request, refused.message, messages.ERROR)
        status = form.cleaned_data.get("new_status")
        if status:
            try:
                type(self).set_status(
                    request=obj, status=status, author=request.user, note=form.cleaned_data.get("status_note", "")
                )
            except TransitionNotAllowed as refused:
                self.message_user(request, str(refused), messages.ERROR)


@admin.register(RepairRequest)
class RepairRequestAdmin(RequestAdmin):
    form = RepairStatusForm
    set_status = staticmethod(repair_request_set_status)
    make_act = staticmethod(repair_act_make)
    act_not_due = REPAIR_ACT_NOT_DUE
    list_display = ["number", "created_at", "status", "user", "equipment_model", "format", "warranty", "technician"]
    list_filter = ["status", "format", "warranty", "slot__technician", "centre", "created_at"]
    list_select_related = ["user", "slot__technician"]
    inlines = [RepairHistoryInline, AttachmentInline, NoticeInline]
    readonly_fields = [
        "number",
        "status",
        "user",
        "equipment_model",
        "serial_number",
        "source",
        "purchase_date",
        "product",
        "symptoms",
        "description",
        "format",
        "warranty",
        "warranty_checked_by",
        "warranty_checked_at",
        "diagnostics_fee",
        "visit_fee",
        "cost_decision",
        "slot",
        "centre",
        "created_at",
        "act_link",
        "act_made_at",
    ]
    fieldsets = [
        (None, {"fields": ["number", "status", "new_status", "status_note", "new_slot", "user", "created_at"]}),
        (
            "Оборудование",
            {
                "fields": [
                    "equipment_model",
                    "serial_number",
                    "source",
                    "purchase_date",
                    "product",
                    "symptoms",
                    "description",
                ]
            },
        ),
        (
            "Визит",
            {
                "fields": [
                    "format",
                    "centre",
                    "slot",
                    "region",
                    "address",
                    "access_notes",
                    "contact_name",
                    "contact_phone",
                ]
            },
        ),
        (
            "Стоимость",
            {
                "fields": [
                    "warranty",
                    "new_warranty",
                    "warranty_checked_by",
                    "warranty_checked_at",
                    "diagnostics_fee",
                    "visit_fee",
                    "diagnosis",
                    "repair_cost",
                    "cost_decision",
                ]
            },
        ),
        ("Документы", {"fields": ["act_link", "act_made_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if warranty := form.cleaned_data.get("new_warranty"):
            repair_request_set_warranty(
                request=obj, warranty=warranty, author=request.user, note=form.cleaned_data.get("status_note", "")
            )

    @admin.display(description="техник", ordering="slot__technician__name")
    def technician(self, obj):
        return obj.slot.technician if obj.slot else "—"


@admin.register(InstallationRequest)
class InstallationRequestAdmin(RequestAdmin):
    form = InstallationStatusForm
    set_status = staticmethod(installation_request_set_status)
    make_act = staticmethod(installation_act_make)
    act_not_due = ACT_NOT_DUE
    list_display = ["number", "created_at", "status", "user", "package", "desired_date", "crew", "one_time_total"]
    list_filter = ["status", "crew", "package", "desired_date", "created_at"]
    list_select_related = ["user", "package", "crew"]
    inlines = [InstallationHistoryInline, EstimateLineInline, WorkLineInline, NoticeInline]
    readonly_fields = [
        "number",
        "status",
        "user",
        "object_type",
        "area_m2",
        "floors",
        "has_internet",
        "has_lan",
        "special_zones",
        "access_mode",
        "goals",
        "turnkey",
        "own_equipment",
        "package",
        "one_time_total",
        "monthly_total",
        "cost_decision",
        "slot",
        "crew",
        "created_at",
        "act_link",
        "act_made_at",
    ]
    fieldsets = [
        (None, {"fields": ["number", "status", "new_status", "status_note", "new_slot", "user", "created_at"]}),
        (
            "Объект",
            {
                "fields": [
                    "object_type",
                    "area_m2",
                    "floors",
                    "has_internet",
                    "has_lan",
                    "special_zones",
                    "access_mode",
                    "goals",
                    "turnkey",
                    "own_equipment",
                    "wants_survey",
                ]
            },
        ),
        (
            "Планирование",
            {
                "fields": [
                    "desired_date",
                    "crew",
                    "slot",
                    "region",
                    "address",
                    "access_notes",
                    "contact_name",
                    "contact_phone",
                ]
            },
        ),
        ("Смета", {"fields": ["package", "one_time_total", "monthly_total", "cost_decision"]}),
        ("Документы", {"fields": ["act_link", "act_made_at"]}),
    ]
