from django.contrib import admin

from core.admin import BoundedDateHierarchyMixin
from delivery.models import CourierWindow, DeliveryMethod, DeliveryTariff, DeliveryZone, PickupPoint, ZoneRegion


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "max_weight_kg", "max_side_mm", "position", "is_active"]
    list_editable = ["position", "is_active"]


class ZoneRegionInline(admin.TabularInline):
    model = ZoneRegion
    extra = 1
    autocomplete_fields = ["region"]


class DeliveryTariffInline(admin.TabularInline):
    model = DeliveryTariff
    extra = 0


@admin.register(DeliveryZone)
class DeliveryZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "window_capacity"]
    search_fields = ["name"]
    inlines = [ZoneRegionInline, DeliveryTariffInline]


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "address", "hours", "is_active"]
    list_filter = ["kind", "is_active", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["region"]


@admin.register(CourierWindow)
class CourierWindowAdmin(BoundedDateHierarchyMixin, admin.ModelAdmin):
    list_display = ["zone", "date", "slot", "capacity", "booked"]
    list_filter = ["zone", "slot"]
    list_select_related = ["zone"]
    date_hierarchy = "date"
    readonly_fields = ["booked"]
