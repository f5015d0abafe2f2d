"""A shopper's own lists of products: favourites and compare, a guest's by session, a customer's by account."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from catalog.models import Product


class ListKind(models.TextChoices):
    FAVORITES = "favorites", "Избранное"
    COMPARE = "compare", "Сравнение"


class ListEntry(models.Model):
    """One product in one of a shopper's lists, with its price when it was added."""

    kind = models.CharField("список", max_length=10, choices=ListKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="покупатель",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="list_entries",
    )
    session_key = models.CharField("сессия гостя", max_length=40, blank=True, db_index=True)
    product = models.ForeignKey(Product, verbose_name="товар", on_delete=models.CASCADE, related_name="+")
    price_added = models.DecimalField("цена при добавлении", max_digits=12, decimal_places=2)
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "товар в списке"
        verbose_name_plural = "избранное и сравнение"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "product"], condition=Q(user__isnull=False), name="list_entry_user_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "session_key", "product"],
                condition=Q(user__isnull=True),
                name="list_entry_guest_unique",
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(session_key="")) | (Q(user__isnull=True) & ~Q(session_key="")),
                name="list_entry_one_owner",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.product_id}"


class StockSubscription(models.Model):
    """«Сообщить о поступлении»: a shopper waiting for a product to be in stock, told once, then ended."""

    product = models.ForeignKey(Product, verbose_name="товар", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField("email")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="покупатель",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stock_subscriptions",
    )
    created_at = models.DateTimeField("подписка", auto_now_add=True)
    notified_at = models.DateTimeField("сообщили", null=True, blank=True)

    class Meta:
        verbose_name = "подписка на поступление"
        verbose_name_plural = "подписки на поступление"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "email"],
                condition=Q(notified_at__isnull=True),
                name="stock_subscription_open_unique",
            )
        ]

    def __str__(self):
        return f"{self.email}: {self.product_id}"
