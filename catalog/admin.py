from django.contrib import admin, messages
from django.db.models import F, Sum
from django.utils.html import format_html

from catalog.models import (
    Attribute,
    Brand,
    Category,
    KitComponent,
    ObjectType,
    Product,
    ProductAttributeValue,
    ProductImage,
    Stock,
    Warehouse,
)
from catalog.services import (
    product_images_store_thumbnails,
    product_refresh_search,
    products_delete,
    products_set_active,
)


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 1
    fields = ("preview", "image", "alt", "position")
    readonly_fields = ("preview",)

    @admin.display(description="превью")
    def preview(self, obj):
        if not obj.pk or not obj.image:
            return "—"
        return format_html('<img src="{}" style="max-height:60px;max-width:80px">', obj.thumbnail_url)


class StockInline(admin.TabularInline):
    model = Stock
    extra = 0
    fields = ("warehouse", "quantity", "reserved")
    readonly_fields = ("reserved",)

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else Warehouse.objects.filter(is_active=True).count()


class AttributeValueInline(admin.TabularInline):
    model = ProductAttributeValue
    extra = 1
    autocomplete_fields = ("attribute",)


class KitComponentInline(admin.TabularInline):
    model = KitComponent
    fk_name = "kit"
    extra = 0
    autocomplete_fields = ("product",)
    verbose_name = "товар комплекта"
    verbose_name_plural = "состав комплекта (для готовых комплектов)"


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    # Fits 1366 px beside the admin's menu and filters: the SKU sits under the name, long names wrap.
    list_display = ("name_with_sku", "category", "brand", "price_display", "stock_total", "is_active")
    list_display_links = ("name_with_sku",)
    list_filter = ("is_active", "category", "brand", "vat_rate")
    list_select_related = ("category", "brand")
    search_fields = ("sku", "name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("category", "brand")
    filter_horizontal = ("object_types",)
    list_per_page = 50
    save_on_top = True
    actions = ("take_off_sale", "put_on_sale")
    inlines = (ProductImageInline, StockInline, AttributeValueInline, KitComponentInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "sku", "category", "brand", "is_active")}),
        ("Цена", {"fields": ("price", "old_price", "vat_rate")}),
        ("Описание", {"fields": ("description", "object_types")}),
        (
            "Доставка и гарантия",
            {"fields": ("warranty_months", "backorder_days", "weight_kg", ("length_mm", "width_mm", "height_mm"))},
        ),
        ("Продвижение", {"fields": ("popularity",), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        # Free to sell: on hand less what orders hold, summed in the list's own query.
        return super().get_queryset(request).annotate(stock_free=Sum(F("stocks__quantity") - F("stocks__reserved")))

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, StockInline) and not (obj and obj.pk):
            # A new product gets a stock row for every working warehouse, ready for its quantity.
            kwargs["initial"] = [
                {"warehouse": pk} for pk in Warehouse.objects.filter(is_active=True).values_list("pk", flat=True)
            ]
        return kwargs

    class Media:
        css = {"all": ("css/admin-products.css",)}

    @admin.display(description="товар", ordering="name")
    def name_with_sku(self, obj):
        return format_html('{}<br><span class="sku">{}</span>', obj.name, obj.sku)

    @admin.display(description="цена", ordering="price")
    def price_display(self, obj):
        from core.money import format_rub

        return format_rub(obj.price)

    # Named stock_total for the column's CSS and browser test; it shows the units free to sell.
    @admin.display(description="свободно", ordering="stock_free")
    def stock_total(self, obj):
        return obj.stock_free or 0

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        product_id = form.instance.pk
        if any(f.model is ProductImage and f.has_changed() for f in formsets):
            product_images_store_thumbnails(product_ids=[product_id])
        # In the save's own transaction, so the edit and its search text reach the caches as one change.
        product_refresh_search(product_ids=[product_id])

    def delete_model(self, request, obj):
        self._delete(request, [obj.pk])

    def delete_queryset(self, request, queryset):
        self._delete(request, list(queryset.values_list("pk", flat=True)))

    def _delete(self, request, product_ids):
        kits = products_delete(product_ids=product_ids)
        if kits:
            self.message_user(
                request,
                "Сняты с продажи комплекты, в которые входил удалённый товар: "
                f"{', '.join(kits)}. Проверьте их состав и цену, прежде чем вернуть в продажу.",
                messages.WARNING,
            )

    @admin.action(description="Снять с продажи", permissions=["change"])
    def take_off_sale(self, request, queryset):
        changed = products_set_active(product_ids=queryset.values_list("pk", flat=True), is_active=False)
        self.message_user(request, f"Снято с продажи: {changed}.", messages.SUCCESS)

    @admin.action(description="Вернуть в продажу", permissions=["change"])
    def put_on_sale(self, request, queryset):
        changed = products_set_active(product_ids=queryset.values_list("pk", flat=True), is_active=True)
        self.message_user(request, f"Возвращено в продажу: {changed}.", messages.SUCCESS)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "slug", "position", "is_active")
    list_filter = ("is_active", "parent")
    list_select_related = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("filter_attributes",)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "country")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "unit", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "city", "is_active")
    filter_horizontal = ("regions",)


@admin.register(ObjectType)
class ObjectTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
