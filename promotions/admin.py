from django.contrib import admin

from promotions.models import PromoCode, PromoRedemption, PromoRedemptionKey


@admin.register(PromoCode)
class PromoCodeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "kind",
        "value",
        "min_order",
        "valid_from",
        "valid_to",
        "uses_count",
        "max_uses",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "combines_with_points"]
    search_fields = ["code"]
    readonly_fields = ["uses_count", "created_at", "updated_at"]
    autocomplete_fields = ["categories", "brands", "products"]


class PromoRedemptionKeyInline(admin.TabularInline):
    model = PromoRedemptionKey
    fields = ["key"]
    readonly_fields = ["key"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PromoRedemption)
class PromoRedemptionAdmin(admin.ModelAdmin):
    inlines = [PromoRedemptionKeyInline]
    list_display = ["promo", "customer_key", "created_at", "released_at"]
    list_select_related = ["promo"]
    search_fields = ["promo__code", "customer_key", "keys__key"]
    readonly_fields = ["promo", "user", "customer_key", "created_at", "released_at"]

    def has_add_permission(self, request):
        return False
