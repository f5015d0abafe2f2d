from django.contrib import admin, messages

from core.admin import BoundedDateHierarchyMixin
from exchange.models import ExchangeEntry, ExchangeFile, ExchangeSession, PriceType
from exchange.services.prices import price_type_make_retail


class ExchangeFileInline(admin.TabularInline):
    model = ExchangeFile
    extra = 0
    can_delete = False
    fields = ("name", "size", "parts", "position", "imported_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ExchangeEntryInline(admin.TabularInline):
    model = ExchangeEntry
    extra = 0
    can_delete = False
    fields = ("created_at", "mode", "filename", "answer", "line", "message", "is_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExchangeSession)
class ExchangeSessionAdmin(BoundedDateHierarchyMixin, admin.ModelAdmin):
    """«Обмены с 1С»: each session with its files, steps, counts and errors with their XML lines."""

    list_display = ("created_at", "kind", "user", "source", "created", "updated", "withdrawn", "errors", "completed_at")
    list_filter = ("kind", "source")
    date_hierarchy = "created_at"
    inlines = [ExchangeFileInline, ExchangeEntryInline]
    readonly_fields = (
        "kind", "user", "source", "folder", "created", "updated", "withdrawn", "errors", "export_until",
        "export_committed_at", "completed_at", "created_at",
    )  # fmt: skip
    exclude = ("token_digest",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PriceType)
class PriceTypeAdmin(admin.ModelAdmin):
    """The price types of 1C; the retail one's prices are the shop's."""

    list_display = ("name", "external_id", "currency", "is_retail")
    readonly_fields = ("external_id", "name", "currency", "is_retail")
    actions = ["make_retail"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Сделать розничной (цены магазина)", permissions=["change"])
    def make_retail(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Выберите один тип цен.", messages.ERROR)
            return
        changed = price_type_make_retail(price_type_id=queryset.get().pk)
        self.message_user(request, f"Тип цен «{queryset.get().name}» розничный; цен изменено: {changed}.")
