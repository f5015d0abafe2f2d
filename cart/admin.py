from django.contrib import admin
from django.db.models import Count, Sum

from cart.models import Cart, CartLine
from core.admin import BoundedDateHierarchyMixin


class CartLineInline(admin.TabularInline):
    model = CartLine
    extra = 0
    fields = ["product", "product_name", "product_sku", "quantity", "updated_at"]
    readonly_fields = ["product", "product_name", "product_sku", "updated_at"]
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cart)
class CartAdmin(BoundedDateHierarchyMixin, admin.ModelAdmin):
    """Carts are the customers' own: staff look, correct a quantity or remove a line, never create one."""

    list_display = ["__str__", "user", "line_count", "unit_count", "updated_at"]
    list_filter = [("user", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__phone", "lines__product_sku", "lines__product_name"]
    readonly_fields = ["user", "session_key", "created_at", "updated_at"]
    inlines = [CartLineInline]
    date_hierarchy = "updated_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .annotate(line_count=Count("lines"), unit_count=Sum("lines__quantity"))
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description="строк", ordering="line_count")
    def line_count(self, obj):
        return obj.line_count

    @admin.display(description="единиц", ordering="unit_count")
    def unit_count(self, obj):
        return obj.unit_count or 0
