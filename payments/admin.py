import datetime

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from catalog.models import ReservationState, StockReservation, Warehouse
from orders.admin import OrderAdmin as BaseOrderAdmin
from orders.exceptions import OrderError
from orders.models import (
    CANCELLABLE,
    Order,
    OrderDocument,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    ReturnRequest,
    ReturnStatus,
)
from orders.services import order_cancel, order_complete, order_return_accept, order_return_reject, order_ship
from orders.services.documents import order_document_correct
from orders.services.returns import return_pricing
from payments.exceptions import PaymentError
from payments.models import OFFLINE_PROVIDERS, Payment, PaymentEvent, PaymentStatus, Refund, RefundCause, RefundStatus
from payments.services import (
    invoice_payment_record,
    order_refundable,
    refund_confirm,
    refund_create,
    refund_retry,
)

PENDING_TOO_LONG = datetime.timedelta(hours=1)


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    fields = ["created_at", "status", "accepted", "changed", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments change only by the provider's notifications: staff read them."""

    list_display = ["public_id", "order", "provider", "method", "amount", "status", "created_at"]
    list_filter = ["status", "provider", "method"]
    search_fields = ["order__number", "external_id", "public_id"]
    list_select_related = ["order"]
    inlines = [PaymentEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "provider", "payment", "status", "accepted", "changed", "note"]
    list_filter = ["provider", "accepted", "changed"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PaymentEvent._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    """Refunds are made by the services (cancellation, return, «Вернуть деньги»); staff read and retry them."""

    list_display = ["created_at", "order", "cause", "amount", "status", "provider", "failure_reason"]
    list_filter = ["status", "cause", "provider"]
    search_fields = ["order__number", "external_id", "public_id"]
    list_select_related = ["order"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Refund._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(_ReadOnlyInline):
    model = Payment
    fields = ["created_at", "provider", "method", "amount", "status", "paid_at", "settled_at", "decline_reason"]
    # 54-FZ: the settlement receipt goes at handover; payment on receipt is fiscalised by the courier's register.
    verbose_name_plural = "платежи (оплата при получении: чек печатает касса курьера или магазина, онлайн-чека нет)"


class RefundInline(_ReadOnlyInline):
    model = Refund
    fk_name = "order"
    fields = ["created_at", "cause", "amount", "delivery", "points", "status", "provider", "failure_reason", "author"]


class ReturnRequestInline(_ReadOnlyInline):
    model = ReturnRequest
    fields = ["created_at", "status", "reason", "what", "warehouse", "decided_at", "note"]

    @admin.display(description="что возвращают")
    def what(self, obj):
        return "; ".join(str(line) for line in obj.lines.select_related("order_line"))


class AttentionFilter(admin.SimpleListFilter):
    """Orders a person must look at on Monday morning."""

    title = "требует внимания"
    parameter_name = "attention"
    CASES = {
        "paid_cancelled": "Оплачен после отмены",
        "reservation_lost": "Оплачен, резерв потерян",
        "pending_payment": "Платёж ждёт больше часа",
        "refund_failed": "Возврат денег не прошёл",
        "refund_manual": "Возврат ждёт перевода",
        "return_waiting": "Возврат товара ждёт приёмки",
    }

    def lookups(self, request, model_admin):
        return [("all", "Все, кто требует внимания"), *self.CASES.items()]

    @classmethod
    def condition(cls, case: str) -> Q:
        now = timezone.now()
        paid = Payment.objects.filter(order=OuterRef("pk"), status=PaymentStatus.SUCCEEDED)
        refunds = Refund.objects.filter(order=OuterRef("pk"))
        held = StockReservation.objects.filter(reference=OuterRef("number"), state=ReservationState.HELD)
        goods = OrderLine.objects.filter(order=OuterRef("pk"), is_service=False, product__isnull=False)
        conditions = {
            "paid_cancelled": Q(status=OrderStatus.CANCELLED)
            & Exists(paid)
            & ~Exists(refunds.exclude(status=RefundStatus.FAILED)),
            "reservation_lost": Q(status__in=[OrderStatus.PAID, OrderStatus.ACCEPTED]) & Exists(goods) & ~Exists(held),
            "pending_payment": Exists(
                Payment.objects.filter(
                    order=OuterRef("pk"),
                    status__in=[PaymentStatus.PENDING, PaymentStatus.AUTHORIZED],
                    created_at__lte=now - PENDING_TOO_LONG,
                )
            ),
            "refund_failed": Exists(refunds.filter(status=RefundStatus.FAILED)),
            "refund_manual": Exists(refunds.filter(status=RefundStatus.PENDING, provider__in=OFFLINE_PROVIDERS)),
            "return_waiting": Exists(ReturnRequest.objects.filter(order=OuterRef("pk"), status=ReturnStatus.REQUESTED)),
        }
        if case == "all":
            combined = Q()
            for condition in conditions.values():
                combined |= condition
            return combined
        return conditions[case]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "all" or value in self.CASES:
            return queryset.filter(self.condition(value))
        return queryset


# The moves the order page offers as buttons: (key, label, service called with the order and the staff member).
MOVES = {
    "ship": "Передать в доставку",
    "complete": "Получен",
    "cancel": "Отменить",
    "refund": "Вернуть деньги",
    "invoice_paid": "Счёт оплачен",
}


admin.site.unregister(Order)


@admin.register(Order)
class OrderAdmin(BaseOrderAdmin):
    """The order with its payments, refunds and returns, and a button for each move it can make next."""

    list_display = [
        "number",
        "created_at",
        "buyer_name",
        "status",
        "payment_method",
        "total",
        "region",
        "delivery_when",
        "paid_at",
    ]
    list_filter = [AttentionFilter, *BaseOrderAdmin.list_filter]
    list_select_related = ["user", "region", "window"]
    inlines = [*BaseOrderAdmin.inlines, PaymentInline, RefundInline, ReturnRequestInline]
    change_form_template = "admin/orders/order/change_form.html"

    @admin.display(description="доставка")
    def delivery_when(self, obj):
        if obj.window_id:
            return f"{obj.window.date:%d.%m.%Y}, {obj.window.get_slot_display()}"
        return obj.delivery_name

    def get_urls(self):
        return [
            path("<int:pk>/move/<str:move>/", self.admin_site.admin_view(self.move_view), name="orders_order_move"),
            path(
                "<int:pk>/returns/<int:return_id>/",
                self.admin_site.admin_view(self.return_view),
                name="orders_order_return",
            ),
            path(
                "<int:pk>/documents/<int:document_id>/correct/",
                self.admin_site.admin_view(self.correct_view),
                name="orders_order_document_correct",
            ),
            path(
                "<int:pk>/refunds/<int:refund_id>/<str:move>/",
                self.admin_site.admin_view(self.refund_view),
                name="orders_order_refund",
            ),
            *super().get_urls(),
        ]

    def next_moves(self, order: Order) -> list[tuple[str, str]]:
        moves = []
        if order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED):
            moves.append("ship")
        if order.status == OrderStatus.SHIPPED:
            moves.append("complete")
        if order.status in CANCELLABLE:
            moves.append("cancel")
        awaiting_invoice = order.payment_method == PaymentMethod.INVOICE and order.status in (
            OrderStatus.AWAITING_PAYMENT,
            OrderStatus.CANCELLED,
        )
        if awaiting_invoice and not order.payments.filter(status=PaymentStatus.SUCCEEDED).exists():
            moves.append("invoice_paid")
        if order_refundable(order=order) > 0 and order.status in (OrderStatus.CANCELLED, OrderStatus.COMPLETED):
            moves.append("refund")
        return [(move, MOVES[move]) for move in moves]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if order is not None:
            extra_context.update(
                moves=self.next_moves(order),
                returns_waiting=order.returns.filter(status=ReturnStatus.REQUESTED),
                refunds_open=order.refunds.filter(
                    Q(status=RefundStatus.FAILED) | Q(status=RefundStatus.PENDING, provider__in=OFFLINE_PROVIDERS)
                ),
                refundable=order_refundable(order=order),
                documents_issued=order.documents.filter(corrects__isnull=True, cancelled_at__isnull=True).exclude(
                    file=""
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def _order_or_404(self, request, pk) -> Order:
        order = get_object_or_404(Order, pk=pk)
        if not self.has_change_permission(request, order):
            raise Http404
        return order

    def _back(self, order: Order) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:orders_order_change", args=[order.pk]))

    def move_view(self, request, pk, move):
        order = self._order_or_404(request, pk)
        if request.method != "POST" or move not in MOVES:
            return self._back(order)
        try:
            done = self._move(request, order, move)
        except (OrderError, PaymentError) as error:
            self.message_user(request, f"{order.number}: {error.message}", messages.ERROR)
        else:
            self.message_user(request, f"{order.number}: {done}", messages.SUCCESS)
        return self._back(order)

    def _move(self, request, order: Order, move: str) -> str:
        if move == "ship":
            order_ship(order_id=order.pk, author=request.user)
            return "передан в доставку"
        if move == "complete":
            order_complete(order_id=order.pk, author=request.user)
            return "получен покупателем"
        if move == "cancel":
            order_cancel(order_id=order.pk, author=request.user, note="Отменён магазином")
            return "отменён"
        if move == "invoice_paid":
            invoice_payment_record(order_id=order.pk, author=request.user)
            return "оплата по счёту записана"
        refund = refund_create(
            order_id=order.pk,
            amount=order_refundable(order=order),
            cause=RefundCause.MANUAL if order.status != OrderStatus.CANCELLED else RefundCause.LATE_PAYMENT,
            reason="Возврат по решению магазина",
            author=request.user,
        )
        return f"возврат {refund.amount} ₽ оформлен"

    @admin.action(description="Счёт оплачен", permissions=["change"])
    def invoice_paid(self, request, queryset):
        from orders.admin import _each

        _each(
            self,
            request,
            queryset,
            lambda o: invoice_payment_record(order_id=o.pk, author=request.user),
            "Отмечено оплаченными",
        )

    def correct_view(self, request, pk, document_id):
        """«Выпустить исправление»: a new document with today's details that names the one it corrects."""
        order = self._order_or_404(request, pk)
        document = get_object_or_404(OrderDocument, pk=document_id, order=order)
        if request.method == "POST":
            correction = order_document_correct(document_id=document.pk)
            self.message_user(
                request, f"Выпущено исправление № {correction.number} к документу № {document.number}", messages.SUCCESS
            )
        return self._back(order)

    def refund_view(self, request, pk, refund_id, move):
        order = self._order_or_404(request, pk)
        refund = get_object_or_404(Refund, pk=refund_id, order=order)
        if request.method == "POST":
            try:
                if move == "retry":
                    refund_retry(refund_id=refund.pk, author=request.user)
                    self.message_user(request, "Возврат отправлен снова", messages.SUCCESS)
                elif move == "confirm":
                    refund_confirm(refund_id=refund.pk, author=request.user)
                    self.message_user(request, "Возврат отмечен выполненным", messages.SUCCESS)
            except PaymentError as error:
                self.message_user(request, error.message, messages.ERROR)
        return self._back(order)

    def return_view(self, request, pk, return_id):
        """«Принять возврат»: the returned lines, what goes back, and the warehouse the goods are put into."""
        order = self._order_or_404(request, pk)
        request_obj = get_object_or_404(ReturnRequest, pk=return_id, order=order)
        warehouses = Warehouse.objects.filter(is_active=True).order_by("name")
        error = ""
        if request.method == "POST":
            try:
                if request.POST.get("decision") == "reject":
                    note = request.POST.get("note", "")
                    order_return_reject(return_id=request_obj.pk, author=request.user, note=note)
                    self.message_user(request, "Возврат отклонён", messages.SUCCESS)
                    return self._back(order)
                warehouse = warehouses.filter(pk=request.POST.get("warehouse") or 0).first()
                if warehouse is None:
                    error = "Выберите склад, на который приняты товары"
                else:
                    order_return_accept(return_id=request_obj.pk, warehouse_id=warehouse.pk, author=request.user)
                    self.message_user(request, "Возврат принят, деньги возвращаются", messages.SUCCESS)
                    return self._back(order)
            except (OrderError, PaymentError) as refused:
                error = refused.message
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "order": order,
            "return_request": request_obj,
            "lines": request_obj.lines.select_related("order_line"),
            "pricing": return_pricing(request=request_obj) if request_obj.status == ReturnStatus.REQUESTED else None,
            "warehouses": warehouses,
            "error": error,
            "title": f"Возврат по заказу {order.number}",
        }
        return TemplateResponse(request, "admin/orders/order/return_accept.html", context)
