from django.contrib import admin

from loyalty.models import LoyaltyProgram, PointsEntry


@admin.register(LoyaltyProgram)
class LoyaltyProgramAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updated_at"]

    def has_add_permission(self, request):
        return not LoyaltyProgram.objects.exists()


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    """The ledger is read here; points move only through loyalty.services."""

    list_display = ["user", "kind", "amount", "note", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__phone", "note"]
    readonly_fields = ["user", "kind", "amount", "hold", "note", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
