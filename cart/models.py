from django.conf import settings
from django.db import models


class Cart(models.Model):
    """The goods a visitor has put aside: a guest's is tied to the session, a customer's to the account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="покупатель",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carts",
    )
    session_key = models.CharField("ключ сессии", max_length=40, null=True, blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "корзина"
        verbose_name_plural = "корзины"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(user__isnull=False), name="cart_one_per_user"),
            models.UniqueConstraint(
                fields=["session_key"], condition=models.Q(session_key__isnull=False), name="cart_one_per_session"
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(session_key__isnull=False),
                name="cart_has_owner",
            ),
        ]

    def __str__(self):
        owner = str(self.user) if self.user_id else "гость"
        return f"Корзина №{self.pk} ({owner})"


class CartLine(models.Model):
    """One product in a cart; the name and SKU are kept so a deleted product can still be named."""

    cart = models.ForeignKey(Cart, verbose_name="корзина", on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name="товар",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cart_lines",
    )
    product_name = models.CharField("название товара", max_length=255)
    product_sku = models.CharField("артикул", max_length=64)
    quantity = models.PositiveIntegerField("количество", default=1)
    created_at = models.DateTimeField("добавлена", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "строка корзины"
        verbose_name_plural = "строки корзины"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cart_line_product_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cart_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.product_name} × {self.quantity}"
