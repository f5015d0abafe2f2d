from django.contrib import admin

from lists.models import ListEntry


@admin.register(ListEntry)
class ListEntryAdmin(admin.ModelAdmin):
    list_display = ("product", "kind", "user", "price_added", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("product", "user")
    search_fields = ("product__name", "user__email")
    readonly_fields = ("created_at",)
