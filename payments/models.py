"""Payments of orders through a provider, and every notification the provider sent about them."""

import uuid

from django.conf import settings
from django.db import models


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Ожидает оплаты"
    # Two-stage payments: the bank holds the money until the shop captures it or cancels the hold.
    AUTHORIZED = "authorized", "Деньги удержаны банком"
    SUCCEEDED = "succeeded", "Оплачен"
    DECLINED = "declined", "Отклонён"
    CANCELLED = "cancelled", "Удержание снято"


# Payments not made through an online provider, recorded so that every rouble taken has a row.
BANK = "bank"  # a bank transfer against the invoice, marked by staff
ON_RECEIPT = "on_receipt"  # cash or card at handover, taken by the courier or the store
OFFLINE_PROVIDERS = frozenset({BANK, ON_RECEIPT})


class Payment(models.Model):
    """One attempt to take an order's money; a declined attempt is followed by a new one."""

    public_id = models.UUIDField("код", default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey("orders.Order", verbose_name="заказ", on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField("провайдер", max_length=20)
    method = models.CharField("способ", max_length=12)
    amount = models.DecimalField("сумма", max_digits=12, decimal_places=2)
    currency = models.CharField("валюта", max_length=3, default="RUB")
    status = models.CharField(
        "статус", max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.PENDING, db_index=True
    )
    # Stored before the provider is called, and sent again on a retry, so the provider makes one payment.
    idempotence_key = models.UUIDField("ключ идемпотентности", default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField("номер у провайдера", max_length=64, blank=True, db_index=True)
    confirmation_url = models.URLField("страница оплаты", max_length=500, blank=True)
    decline_reason = models.CharField("причина отказа", max_length=255, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    paid_at = models.DateTimeField("оплачен", null=True, blank=True)
    # 54-FZ: the receipt of full settlement sent when the goods are handed over (prepayment set off).
    settlement_receipt_id = models.CharField("чек полного расчёта", max_length=64, blank=True)
    settled_at = models.DateTimeField("полный расчёт", null=True, blank=True)

    class Meta:
        verbose_name = "платёж"
        verbose_name_plural = "платежи"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status__in=["pending", "authorized"]),
                name="payment_one_open_per_order",
            ),
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(status="succeeded"), name="payment_one_success_per_order"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"Платёж {self.public_id} по заказу {self.order_id}"

    @property
    def is_online(self) -> bool:
        return self.provider not in OFFLINE_PROVIDERS


class PaymentEvent(models.Model):
    """A notification as it came, accepted or not, for the record."""

    payment = models.ForeignKey(
        Payment, verbose_name="платёж", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    provider = models.CharField("провайдер", max_length=20)
    status = models.CharField("сообщённый статус", max_length=20, blank=True)
    accepted = models.BooleanField("принято", default=False)
    changed = models.BooleanField("изменило статус", default=False)
    note = models.CharField("заметка", max_length=255, blank=True)
    body = models.TextField("тело", blank=True)
    created_at = models.DateTimeField("получено", auto_now_add=True)

    class Meta:
        verbose_name = "уведомление провайдера"
        verbose_name_plural = "уведомления провайдера"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.provider}: {self.status} ({self.note})"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Оформлен"
    SUCCEEDED = "succeeded", "Выполнен"
    FAILED = "failed", "Не прошёл"


class RefundCause(models.TextChoices):
    CANCELLATION = "cancel", "Отмена заказа"
    RETURN = "return", "Возврат товара"
    LATE_PAYMENT = "late", "Оплата после отмены"
    MANUAL = "manual", "Решение магазина"


class Refund(models.Model):
    """Money given back for a payment: a record with its state, never a log line (pretix OrderRefund)."""

    public_id = models.UUIDField("код", default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey("orders.Order", verbose_name="заказ", on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, verbose_name="платёж", on_delete=models.PROTECT, related_name="refunds")
    return_request = models.OneToOneField(
        "orders.ReturnRequest",
        verbose_name="возврат товара",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refund",
    )
    cause = models.CharField("основание", max_length=10, choices=RefundCause.choices)
    amount = models.DecimalField("сумма", max_digits=12, decimal_places=2)
    delivery = models.DecimalField("в т.ч. доставка", max_digits=12, decimal_places=2, default=0)
    points = models.PositiveIntegerField("баллов возвращено", default=0)
    reason = models.CharField("причина", max_length=255, blank=True)
    status = models.CharField(
        "статус", max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING, db_index=True
    )
    provider = models.CharField("провайдер", max_length=20)
    # Stored before the provider is called and sent again on a retry of the same attempt.
    idempotence_key = models.UUIDField("ключ идемпотентности", default=uuid.uuid4, unique=True)
    external_id = models.CharField("номер у провайдера", max_length=64, blank=True, db_index=True)
    failure_reason = models.CharField("почему не прошёл", max_length=255, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("оформлен", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    refunded_at = models.DateTimeField("выполнен", null=True, blank=True)

    class Meta:
        verbose_name = "возврат денег"
        verbose_name_plural = "возвраты денег"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(delivery__gte=0, delivery__lte=models.F("amount")), name="refund_delivery_in_amount"
            ),
            # A cancelled order is refunded once, whoever cancels it and however often.
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(cause="cancel"), name="refund_one_cancellation_per_order"
            ),
        ]

    def __str__(self):
        return f"Возврат {self.amount} ₽ по заказу {self.order_id}"


class RefundLine(models.Model):
    """What a refund gives back for one order line: units and money (a partial refund's receipt lists these)."""

    refund = models.ForeignKey(Refund, verbose_name="возврат", on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", verbose_name="строка заказа", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField("количество")
    amount = models.DecimalField("сумма", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "строка возврата денег"
        verbose_name_plural = "строки возврата денег"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="refund_line_quantity_positive"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="refund_line_amount_non_negative"),
        ]

    def __str__(self):
        return f"{self.order_line} × {self.quantity}: {self.amount}"
