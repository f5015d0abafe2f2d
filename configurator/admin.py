from django.contrib import admin
from django.utils.html import format_html, format_html_join

from configurator.models import SavedConfiguration


@admin.register(SavedConfiguration)
class SavedConfigurationAdmin(admin.ModelAdmin):
    list_display = ("token", "created_at", "user", "region", "camera_count", "total", "passes")
    list_filter = ("passes", "created_at")
    search_fields = ("token", "user__email")
    list_select_related = ("user", "region")
    readonly_fields = (
        "token",
        "link",
        "user",
        "region",
        "camera_count",
        "total",
        "passes",
        "kit",
        "answers",
        "created_at",
        "updated_at",
    )
    exclude = ("kit_lines",)

    def has_add_permission(self, request):
        return False

    @admin.display(description="ссылка")
    def link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Открыть в конфигураторе</a>', obj.get_absolute_url()
        )

    @admin.display(description="комплект")
    def kit(self, obj):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ₽</td></tr>",
            ((line["role"], line["sku"], line["name"], line["quantity"], line["price"]) for line in obj.kit_lines),
        )
        return format_html("<table>{}</table>", rows)
