from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DEFAULT_EARN_PERCENT = Decimal("5")


class LoyaltyProgram(models.Model):
    """The bonus programme's terms, one record edited in admin."""

    earn_percent = models.DecimalField(
        "начисляется, % от оплаченного деньгами",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_EARN_PERCENT,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "бонусная программа"
        verbose_name_plural = "бонусная программа"

    def __str__(self):
        return f"Начисление {self.earn_percent}%"


class PointsKind(models.TextChoices):
    EARNED = "earned", "Начислены"
    HELD = "held", "Заблокированы под заказ"
    SPENT = "spent", "Списаны"
    RELEASED = "released", "Возвращены"
    EXPIRED = "expired", "Сгорели"
    # After the sale: points paid for an order cancelled or returned come back; points earned on returned goods go.
    RESTORED = "restored", "Возвращены за отмену или возврат"
    REVOKED = "revoked", "Списаны за возвращённый товар"


class PointsEntry(models.Model):
    """One movement of a customer's points; the balance is the sum of `amount` over the entries.

    `amount` is the change of the points free to spend: earned and released add, held and expired take away;
    spent settles a hold for good (amount 0) and released settles it back. A hold is settled once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="покупатель", on_delete=models.CASCADE, related_name="points_entries"
    )
    kind = models.CharField("операция", max_length=10, choices=PointsKind.choices)
    amount = models.IntegerField("баллы")
    hold = models.ForeignKey(
        "self",
        verbose_name="блокировка",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settlements",
    )
    note = models.CharField("основание", max_length=200, blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "операция с баллами"
        verbose_name_plural = "операции с баллами"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "created_at"], name="points_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["earned", "released", "restored"], amount__gt=0)
                    | models.Q(kind__in=["held", "expired", "revoked"], amount__lt=0)
                    | models.Q(kind="spent", amount=0)
                ),
                name="points_amount_sign_by_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["spent", "released"], hold__isnull=False)
                | models.Q(kind__in=["earned", "held", "expired", "restored", "revoked"], hold__isnull=True),
                name="points_settlement_has_hold",
            ),
            models.UniqueConstraint(fields=["hold"], condition=models.Q(hold__isnull=False), name="points_hold_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount}"
