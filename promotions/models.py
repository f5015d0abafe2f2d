from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper

from promotions.identity import KEY_MAX_LENGTH

CODE_MAX_LENGTH = 40


class PromoKind(models.TextChoices):
    PERCENT = "percent", "Процент"
    FIXED = "fixed", "Сумма, ₽"


class PromoCode(models.Model):
    """A code a buyer types at checkout for a discount; its limits are counted exactly."""

    code = models.CharField("код", max_length=CODE_MAX_LENGTH, help_text="Без учёта регистра.")
    kind = models.CharField("вид скидки", max_length=10, choices=PromoKind.choices, default=PromoKind.PERCENT)
    value = models.DecimalField(
        "размер скидки", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    min_order = models.DecimalField("минимальная сумма заказа, ₽", max_digits=12, decimal_places=2, default=0)
    valid_from = models.DateTimeField("действует с", null=True, blank=True)
    valid_to = models.DateTimeField("действует по", null=True, blank=True)
    categories = models.ManyToManyField(
        "catalog.Category", verbose_name="только категории", blank=True, related_name="+"
    )
    brands = models.ManyToManyField("catalog.Brand", verbose_name="только бренды", blank=True, related_name="+")
    products = models.ManyToManyField("catalog.Product", verbose_name="только товары", blank=True, related_name="+")
    max_uses = models.PositiveIntegerField(
        "всего использований", null=True, blank=True, help_text="Пусто — без лимита."
    )
    uses_count = models.PositiveIntegerField("использован раз", default=0)
    per_customer_limit = models.PositiveIntegerField(
        "использований на покупателя", null=True, blank=True, default=1, help_text="Пусто — без лимита."
    )
    combines_with_points = models.BooleanField("можно с баллами", default=True)
    is_active = models.BooleanField("активен", default=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "промокод"
        verbose_name_plural = "промокоды"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(Upper("code"), name="promo_code_ci_unique"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="promo_value_positive"),
            models.CheckConstraint(
                condition=~models.Q(kind="percent") | models.Q(value__lte=100), name="promo_percent_le_100"
            ),
            models.CheckConstraint(
                condition=models.Q(max_uses__isnull=True) | models.Q(uses_count__lte=models.F("max_uses")),
                name="promo_uses_le_max",
            ),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)


class PromoRedemption(models.Model):
    """One use of a promo code by one buyer; a released use no longer counts."""

    promo = models.ForeignKey(PromoCode, verbose_name="промокод", on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="покупатель",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    customer_key = models.CharField("покупатель (ключ)", max_length=KEY_MAX_LENGTH)
    created_at = models.DateTimeField("использован", auto_now_add=True)
    released_at = models.DateTimeField("возвращён", null=True, blank=True)

    class Meta:
        verbose_name = "использование промокода"
        verbose_name_plural = "использования промокодов"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["promo", "customer_key"], name="promo_redemption_customer")]

    def __str__(self):
        return f"{self.promo} — {self.customer_key}"


class PromoRedemptionKey(models.Model):
    """One identity of the buyer behind a use: the account, a normalised email or an E.164 phone."""

    redemption = models.ForeignKey(
        PromoRedemption, verbose_name="использование", on_delete=models.CASCADE, related_name="keys"
    )
    key = models.CharField("ключ", max_length=KEY_MAX_LENGTH)

    class Meta:
        verbose_name = "ключ покупателя"
        verbose_name_plural = "ключи покупателя"
        constraints = [models.UniqueConstraint(fields=["redemption", "key"], name="promo_redemption_key_unique")]
        indexes = [models.Index(fields=["key"], name="promo_redemption_key")]

    def __str__(self):
        return self.key
