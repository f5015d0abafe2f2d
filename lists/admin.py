from django.contrib import admin

from lists.models import ListEntry, StockSubscription


@admin.register(ListEntry)
class ListEntryAdmin(admin.ModelAdmin):
    list_display = ("product", "kind", "user", "price_added", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("product", "user")
    search_fields = ("product__name", "user__email")
    readonly_fields = ("created_at",)


@admin.register(StockSubscription)
class StockSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("product", "email", "user", "created_at", "notified_at")
    list_filter = (("notified_at", admin.EmptyFieldListFilter),)
    raw_id_fields = ("product", "user")
    search_fields = ("email", "product__name")
    readonly_fields = ("created_at", "notified_at")
