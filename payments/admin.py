from django.contrib import admin

from payments.models import Payment, PaymentEvent


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    fields = ["created_at", "status", "accepted", "changed", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments change only by the provider's notifications: staff read them."""

    list_display = ["public_id", "order", "provider", "method", "amount", "status", "created_at"]
    list_filter = ["status", "provider", "method"]
    search_fields = ["order__number", "external_id", "public_id"]
    list_select_related = ["order"]
    inlines = [PaymentEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "provider", "payment", "status", "accepted", "changed", "note"]
    list_filter = ["provider", "accepted", "changed"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PaymentEvent._meta.fields]

    def has_add_permission(self, request):
        return False
