from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet

from core.admin import BoundedDateHierarchyMixin
from notices.models import Notice, NoticeSettings


class NoticeFormSet(BaseGenericInlineFormSet):
    @classmethod
    def get_default_prefix(cls):
        return "notices"


class NoticeInline(GenericTabularInline):
    """The notices of an order or a service request, as sent, read-only for staff."""

    model = Notice
    formset = NoticeFormSet
    extra = 0
    can_delete = False
    verbose_name_plural = "уведомления покупателю"
    fields = ("created_at", "event", "channel", "recipient", "status", "delivery", "sent_at", "error")
    readonly_fields = fields
    ordering = ("pk",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sms")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="доставка")
    def delivery(self, notice):
        """The SMS gateway's word on delivery, where the notice went by SMS."""
        return notice.sms.get_status_display() if notice.sms_id else ""


@admin.register(Notice)
class NoticeAdmin(BoundedDateHierarchyMixin, admin.ModelAdmin):
    list_display = ("created_at", "event", "channel", "recipient", "status", "sent_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("key", "recipient")
    date_hierarchy = "created_at"
    # The email's HTML stays out of the page; its text says the same.
    readonly_fields = [field.name for field in Notice._meta.fields if field.name not in ("id", "html")]
    exclude = ("html",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NoticeSettings)
class NoticeSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "orders", "service", "telegram_linked_at")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    search_fields = ("user__email", "user__phone")
    readonly_fields = ("telegram_chat_id", "telegram_linked_at")
