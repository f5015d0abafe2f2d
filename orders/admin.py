import re

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from core.admin import BoundedDateHierarchyMixin
from core.banking import account_key_ok
from notices.admin import NoticeInline
from orders.exceptions import OrderError
from orders.models import Order, OrderDocument, OrderLine, OrderStatus, OrderStatusChange, PaymentMethod, Seller
from orders.services import order_cancel, order_complete, order_mark_paid, order_set_serials, order_ship
from orders.services.documents import order_documents_make


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = ["name", "sku", "price", "quantity", "total", "vat_rate", "warranty_months", "serial_numbers"]
    readonly_fields = ["name", "sku", "price", "quantity", "total", "vat_rate", "warranty_months"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OrderStatusChangeInline(admin.TabularInline):
    model = OrderStatusChange
    extra = 0
    fields = ["created_at", "from_status", "to_status", "author", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OrderDocumentInline(admin.TabularInline):
    model = OrderDocument
    extra = 0
    fields = ["kind", "download", "updated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="файл")
    def download(self, document):
        # Private storage has no address of its own: the document view hands the PDF out and records who took it.
        if not document.file:
            return "—"
        return format_html('<a href="{}">PDF</a>', document.get_absolute_url())


def _each(modeladmin, request, queryset, service, done: str):
    count = 0
    for order in queryset.order_by("pk"):
        try:
            service(order)
        except OrderError as error:
            modeladmin.message_user(request, f"{order.number}: {error.message}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, f"{done}: {count}", messages.SUCCESS)


@admin.register(Order)
class OrderAdmin(BoundedDateHierarchyMixin, admin.ModelAdmin):
    """Statuses change only through the actions, each a service that checks the move and records it."""

    list_display = ["number", "created_at", "buyer_name", "status", "payment_method", "total"]
    list_filter = ["status", "payment_method", "delivery_kind", "is_company", "created_at"]
    search_fields = ["number", "email", "phone", "full_name", "company_name", "inn"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, OrderStatusChangeInline, OrderDocumentInline, NoticeInline]
    actions = ["invoice_paid", "ship", "complete", "cancel", "regenerate_documents"]
    list_select_related = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Order._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Every field is read-only here: an order changes through the actions, never a plain save."""

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not OrderLine:
            return
        for line_form in formset.forms:
            if line_form.has_changed() and "serial_numbers" in line_form.changed_data:
                line = order_set_serials(
                    line_id=line_form.instance.pk, serial_numbers=line_form.cleaned_data["serial_numbers"]
                )
                formset.changed_objects.append((line, ["serial_numbers"]))

    @admin.action(description="Счёт оплачен", permissions=["change"])
    def invoice_paid(self, request, queryset):
        def pay(order):
            if order.payment_method != PaymentMethod.INVOICE or order.status != OrderStatus.AWAITING_PAYMENT:
                raise OrderError("это не неоплаченный заказ по счёту")
            order_mark_paid(order_id=order.pk, author=request.user, note="Оплата по счёту получена")

        _each(self, request, queryset, pay, "Отмечено оплаченными")

    @admin.action(description="Передать в доставку", permissions=["change"])
    def ship(self, request, queryset):
        _each(self, request, queryset, lambda o: order_ship(order_id=o.pk, author=request.user), "Передано")

    @admin.action(description="Отметить полученными", permissions=["change"])
    def complete(self, request, queryset):
        _each(self, request, queryset, lambda o: order_complete(order_id=o.pk, author=request.user), "Получено")

    @admin.action(description="Отменить", permissions=["change"])
    def cancel(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda o: order_cancel(order_id=o.pk, author=request.user, note="Отменён магазином"),
            "Отменено",
        )

    @admin.action(description="Сделать документы заново", permissions=["change"])
    def regenerate_documents(self, request, queryset):
        _each(self, request, queryset, lambda o: order_documents_make(order_id=o.pk), "Документы обновлены")


SELLER_INN_INVALID = "ИНН не проходит проверку контрольных цифр: 10 цифр у организации, 12 у ИП."
SELLER_KPP_INVALID = "КПП — 9 знаков: 4 цифры кода налогового органа, 2 знака причины, 3 цифры номера."
SELLER_OGRN_INVALID = "ОГРН не проходит проверку контрольной цифры: 13 цифр у организации, 15 у ИП."
SELLER_BIK_INVALID = "БИК — 9 цифр и начинается с 04."
SELLER_CORRESPONDENT_INVALID = (
    "Корр. счёт не сходится с БИК: 20 цифр, начинается с 30101, кончается тремя последними цифрами БИК."
)
SELLER_SETTLEMENT_INVALID = "Расчётный счёт не сходится с БИК по контрольному ключу: проверьте счёт и БИК."


class SellerForm(forms.ModelForm):
    """The seller's details, each checked by its own rule before any document prints it."""

    class Meta:
        model = Seller
        fields = [
            "name",
            "inn",
            "kpp",
            "ogrn",
            "address",
            "site_address",
            "bank_name",
            "bik",
            "correspondent_account",
            "settlement_account",
            "director",
            "accountant",
        ]

    def clean_inn(self):
        value = self.cleaned_data["inn"].strip()
        if not stdnum_inn.is_valid(value):
            raise forms.ValidationError(SELLER_INN_INVALID)
        return value

    def clean_kpp(self):
        value = self.cleaned_data["kpp"].strip().upper()
        if value and not re.fullmatch(r"\d{4}[\dA-Z]{2}\d{3}", value):
            raise forms.ValidationError(SELLER_KPP_INVALID)
        return value

    def clean_ogrn(self):
        value = self.cleaned_data["ogrn"].strip()
        if not stdnum_ogrn.is_valid(value):
            raise forms.ValidationError(SELLER_OGRN_INVALID)
        return value

    def clean_bik(self):
        value = self.cleaned_data["bik"].strip()
        if not re.fullmatch(r"04\d{7}", value):
            raise forms.ValidationError(SELLER_BIK_INVALID)
        return value

    def clean(self):
        cleaned = super().clean()
        bik = cleaned.get("bik")
        if not bik:
            return cleaned
        correspondent = cleaned.get("correspondent_account", "").strip()
        # A bank's correspondent account ends with the last three digits of its БИК.
        correspondent_ok = correspondent.startswith("30101") and correspondent[-3:] == bik[-3:]
        if correspondent and not (correspondent_ok and account_key_ok(bik=bik, account=correspondent)):
            self.add_error("correspondent_account", SELLER_CORRESPONDENT_INVALID)
        settlement = cleaned.get("settlement_account", "").strip()
        if settlement and not account_key_ok(bik=bik, account=settlement):
            self.add_error("settlement_account", SELLER_SETTLEMENT_INVALID)
        return cleaned


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    """One record: the details every document prints, each checked (ИНН, КПП, ОГРН, БИК and account keys)."""

    form = SellerForm
    list_display = ["name", "inn", "bik", "updated_at"]

    def has_add_permission(self, request):
        return not Seller.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
