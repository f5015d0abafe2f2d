"""Payments of orders through a provider, and every notification the provider sent about them."""

import uuid

from django.db import models


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Ожидает оплаты"
    SUCCEEDED = "succeeded", "Оплачен"
    DECLINED = "declined", "Отклонён"
    CANCELLED = "cancelled", "Отменён"


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

    class Meta:
        verbose_name = "платёж"
        verbose_name_plural = "платежи"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(status="pending"), name="payment_one_pending_per_order"
            ),
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(status="succeeded"), name="payment_one_success_per_order"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"Платёж {self.public_id} по заказу {self.order_id}"


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
