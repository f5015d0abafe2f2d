from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from core.models import Region, StaffDownload


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(StaffDownload)
class StaffDownloadAdmin(admin.ModelAdmin):
    """The trail of customers' files and documents opened by staff: read only, kept as written."""

    list_display = ("created_at", "user", "what", "path")
    list_select_related = ("user",)
    search_fields = ("what", "path", "user__email")
    readonly_fields = ("created_at", "user", "what", "path")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BoundedDateHierarchyChangeList(ChangeList):
    """A change list whose date hierarchy refuses years, months and days that no date can have."""

    LIMITS = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}

    def get_filters(self, request):
        if self.date_hierarchy:
            params = self.get_filters_params()
            for part, (low, high) in self.LIMITS.items():
                values = params.get(f"{self.date_hierarchy}__{part}")
                if values is None:
                    continue
                value = values[-1] if isinstance(values, list) else values
                # Django's own check lets 3000000000 (OverflowError) and 9999 (no next year) through.
                if not (value.isascii() and value.isdigit() and len(value) <= 4 and low <= int(value) <= high):
                    raise IncorrectLookupParameters(f"{part} out of range")
        return super().get_filters(request)


class BoundedDateHierarchyMixin:
    """For a ModelAdmin with a date_hierarchy: a nonsense date in the address redirects instead of failing."""

    def get_changelist(self, request, **kwargs):
        return BoundedDateHierarchyChangeList
