"""Who wants to be told how, the Telegram chat bound to an account, and every notice sent with its state."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    TELEGRAM = "telegram", "Telegram"
    SMS = "sms", "SMS"


class Kind(models.TextChoices):
    """What a notice is about; a customer chooses a channel for orders and for service visits."""

    ORDERS = "orders", "Заказы"
    SERVICE = "service", "Ремонт и монтаж"
    STOCK = "stock", "Поступление товара"
    STAFF = "staff", "Магазину"


class Event(models.TextChoices):
    ORDER_PLACED = "order_placed", "Заказ оформлен"
    ORDER_PAID = "order_paid", "Заказ оплачен"
    ORDER_SHIPPED = "order_shipped", "Заказ передан в доставку"
    ORDER_READY = "order_ready", "Заказ ждёт в пункте выдачи"
    ORDER_CANCELLED = "order_cancelled", "Заказ отменён"
    ORDER_REFUNDED = "order_refunded", "Возврат по заказу"
    SERVICE_CONFIRMED = "service_confirmed", "Заявка подтверждена"
    SERVICE_REMINDER = "service_reminder", "Напоминание о визите"
    SERVICE_DEPARTED = "service_departed", "Мастер выехал"
    SERVICE_ESTIMATE = "service_estimate", "Смета ждёт согласования"
    SERVICE_DONE = "service_done", "Работы выполнены"
    SERVICE_STATUS = "service_status", "Статус заявки"
    STOCK_ARRIVED = "stock_arrived", "Товар снова в наличии"
    STAFF_ORDER = "staff_order", "Новый заказ (магазину)"
    STAFF_SERVICE = "staff_service", "Новая заявка (магазину)"


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", "В очереди"
    SENDING = "sending", "Отправляется"
    SENT = "sent", "Отправлено"
    FAILED = "failed", "Не отправлено"


class NoticeSettings(models.Model):
    """A customer's channel for each kind of notice and the Telegram chat bound to the account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="покупатель", on_delete=models.CASCADE, related_name="notice_settings"
    )
    orders = models.CharField("о заказах", max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    service = models.CharField("о ремонте и монтаже", max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    telegram_chat_id = models.BigIntegerField("чат Telegram", null=True, blank=True)
    telegram_linked_at = models.DateTimeField("Telegram привязан", null=True, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "настройки уведомлений"
        verbose_name_plural = "настройки уведомлений"

    def __str__(self):
        return f"Уведомления #{self.user_id}"

    def channel_for(self, kind: str) -> str:
        """The channel the customer chose for a kind; back-in-stock follows the orders' choice."""
        return self.service if kind == Kind.SERVICE else self.orders


class TelegramLinkToken(models.Model):
    """A one-time start parameter of the bot's deep link; only its SHA-256 is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("действует до")
    used_at = models.DateTimeField("использован", null=True, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "ссылка привязки Telegram"
        verbose_name_plural = "ссылки привязки Telegram"

    def __str__(self):
        return f"Ссылка #{self.pk}"


class Notice(models.Model):
    """One message of one event to one recipient by one channel; the unique key makes a re-run send nothing."""

    key = models.CharField("событие", max_length=120, help_text="Что и о чём: order:12:placed")
    event = models.CharField("тип", max_length=30, choices=Event.choices)
    channel = models.CharField("канал", max_length=10, choices=Channel.choices)
    recipient = models.CharField("получатель", max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="покупатель", null=True, blank=True, on_delete=models.SET_NULL
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    subject = models.CharField("тема", max_length=200, blank=True)
    text = models.TextField("текст")
    html = models.TextField("HTML письма", blank=True)
    fallback_phone = models.CharField("телефон на случай сбоя Telegram", max_length=16, blank=True)
    fallback_email = models.CharField("email на случай сбоя Telegram без телефона", max_length=254, blank=True)
    fallback_text = models.TextField("текст письма на случай сбоя Telegram", blank=True)
    urgent = models.BooleanField("и в тихие часы", default=False)
    status = models.CharField("статус", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.QUEUED)
    not_before = models.DateTimeField("не раньше", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    error = models.CharField("ошибка", max_length=300, blank=True)
    provider_id = models.CharField("id у провайдера", max_length=64, blank=True)
    sms = models.ForeignKey(
        "accounts.SmsMessage", verbose_name="SMS", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        constraints = [
            # An erased row has no recipient and no longer takes part.
            models.UniqueConstraint(
                fields=["key", "channel", "recipient"],
                condition=~models.Q(recipient=""),
                name="notice_once_per_event_channel_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="notice_due_idx"),
            models.Index(fields=["content_type", "object_id"], name="notice_target_idx"),
        ]

    def __str__(self):
        return f"{self.get_event_display()} · {self.get_channel_display()}"
