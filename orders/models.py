"""Orders: a human number, a snapshot of every line, statuses moved along one map with their history."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.storage import private_storage, random_name
from core.vat import DEFAULT_RATE, DELIVERY_RATE, VatRate


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "Ожидает оплаты"
    PAID = "paid", "Оплачен"
    ACCEPTED = "accepted", "Принят, оплата при получении"
    SHIPPED = "shipped", "Передан в доставку"
    COMPLETED = "completed", "Получен"
    CANCELLED = "cancelled", "Отменён"


# The only moves a status may make; anything else is refused by `order_set_status`.
TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.AWAITING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.ACCEPTED: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.COMPLETED}),
    OrderStatus.COMPLETED: frozenset(),
    # A payment that arrives for an order cancelled meanwhile revives it when its goods can be reserved again.
    OrderStatus.CANCELLED: frozenset({OrderStatus.PAID}),
}
# Statuses in which the buyer may still cancel: nothing has left the warehouse.
CANCELLABLE = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.ACCEPTED})


class PaymentMethod(models.TextChoices):
    CARD = "card", "Банковская карта"
    SBP = "sbp", "СБП"
    INVOICE = "invoice", "Счёт для юрлиц"
    ON_RECEIPT = "on_receipt", "Оплата при получении"


ONLINE_METHODS = frozenset({PaymentMethod.CARD, PaymentMethod.SBP})


def order_secret() -> str:
    """The secret of a guest's link to an order: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


class Order(models.Model):
    number = models.CharField("номер", max_length=20, unique=True, null=True, blank=True)
    # The guest's link /orders/<number>/<secret>/ opens the order from any browser (pretix-style).
    secret = models.CharField("секрет ссылки", max_length=32, default=order_secret, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="покупатель",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    cart_id = models.PositiveIntegerField("корзина", null=True, blank=True, db_index=True, editable=False)
    status = models.CharField(
        "статус", max_length=20, choices=OrderStatus.choices, default=OrderStatus.AWAITING_PAYMENT, db_index=True
    )
    payment_method = models.CharField("способ оплаты", max_length=12, choices=PaymentMethod.choices)
    is_company = models.BooleanField("юрлицо", default=False)
    full_name = models.CharField("ФИО", max_length=150, blank=True)
    email = models.EmailField("email", max_length=254, blank=True)
    phone = models.CharField("телефон", max_length=20, blank=True)
    company_name = models.CharField("организация", max_length=255, blank=True)
    inn = models.CharField("ИНН", max_length=12, blank=True)
    kpp = models.CharField("КПП", max_length=9, blank=True)
    legal_address = models.CharField("юридический адрес", max_length=500, blank=True)
    contact_name = models.CharField("контактное лицо", max_length=150, blank=True)
    region = models.ForeignKey("core.Region", verbose_name="регион", null=True, on_delete=models.SET_NULL)
    delivery_kind = models.CharField("доставка", max_length=10)
    delivery_name = models.CharField("способ доставки", max_length=100)
    pickup_point = models.ForeignKey(
        "delivery.PickupPoint", verbose_name="пункт получения", null=True, blank=True, on_delete=models.SET_NULL
    )
    pickup_address = models.CharField("адрес пункта", max_length=400, blank=True)
    courier_address = models.CharField("адрес доставки", max_length=300, blank=True)
    window = models.ForeignKey(
        "delivery.CourierWindow", verbose_name="окно курьера", null=True, blank=True, on_delete=models.PROTECT
    )
    window_released = models.BooleanField("окно освобождено", default=False)
    promo_code = models.CharField("промокод", max_length=40, blank=True)
    promo_redemption = models.ForeignKey(
        "promotions.PromoRedemption",
        verbose_name="использование промокода",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    points = models.PositiveIntegerField("оплачено баллами", default=0)
    points_hold = models.ForeignKey(
        "loyalty.PointsEntry",
        verbose_name="удержание баллов",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    earns = models.PositiveIntegerField("начислить баллов", default=0)
    goods = models.DecimalField("товары", max_digits=12, decimal_places=2)
    discount = models.DecimalField("скидка", max_digits=12, decimal_places=2, default=0)
    delivery_cost = models.DecimalField("доставка, ₽", max_digits=12, decimal_places=2, default=0)
    delivery_vat = models.DecimalField("НДС доставки", max_digits=12, decimal_places=2, default=0)
    delivery_vat_rate = models.CharField(
        "ставка НДС доставки", max_length=4, choices=VatRate.choices, default=DELIVERY_RATE
    )
    total = models.DecimalField("к оплате", max_digits=12, decimal_places=2)
    vat = models.DecimalField("НДС", max_digits=12, decimal_places=2)
    reserved_until = models.DateTimeField("резерв до", null=True, blank=True)
    paid_at = models.DateTimeField("оплачен", null=True, blank=True)
    shipped_at = models.DateTimeField("передан в доставку", null=True, blank=True)
    received_at = models.DateTimeField("получен", null=True, blank=True)
    # Something that needs documents happened and they are not all made yet: the sweep reads only these.
    documents_due = models.BooleanField("ждёт документов", default=False, editable=False)
    created_at = models.DateTimeField("создан", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "заказ"
        verbose_name_plural = "заказы"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(documents_due=True), name="order_documents_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_non_negative"),
            models.CheckConstraint(condition=models.Q(goods__gte=0), name="order_goods_non_negative"),
        ]

    def __str__(self):
        return f"Заказ {self.number}"

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"number": self.number})

    @property
    def buyer_name(self) -> str:
        return self.company_name if self.is_company else self.full_name

    @property
    def is_online(self) -> bool:
        return self.payment_method in ONLINE_METHODS

    @property
    def can_cancel(self) -> bool:
        return self.status in CANCELLABLE

    @property
    def can_pay(self) -> bool:
        return self.status == OrderStatus.AWAITING_PAYMENT and self.is_online

    @property
    def return_deadline(self):
        """The last moment the buyer may ask to return goods (ЗоЗПП art. 26.1), or None before receipt."""
        if self.received_at is None:
            return None
        return self.received_at + datetime.timedelta(days=settings.ORDER_RETURN_DAYS)

    @property
    def can_return(self) -> bool:
        from django.utils import timezone

        deadline = self.return_deadline
        return self.status == OrderStatus.COMPLETED and deadline is not None and timezone.now() <= deadline


class OrderLine(models.Model):
    """What was sold, as it was at the moment of the order: the product may change or go later."""

    order = models.ForeignKey(Order, verbose_name="заказ", on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", verbose_name="товар", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("название", max_length=255)
    sku = models.CharField("артикул", max_length=64)
    is_service = models.BooleanField("услуга", default=False)
    price = models.DecimalField("цена", max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField("количество")
    gross = models.DecimalField("сумма без скидки", max_digits=12, decimal_places=2)
    discount = models.DecimalField("скидка", max_digits=12, decimal_places=2, default=0)
    points = models.DecimalField("баллами", max_digits=12, decimal_places=2, default=0)
    total = models.DecimalField("сумма", max_digits=12, decimal_places=2)
    vat_rate = models.CharField("ставка НДС", max_length=4, choices=VatRate.choices, default=DEFAULT_RATE)
    vat = models.DecimalField("НДС", max_digits=12, decimal_places=2)
    warranty_months = models.PositiveSmallIntegerField("гарантия, мес.", default=12)
    serial_numbers = models.TextField("серийные номера", blank=True, help_text="По одному в строке.")

    class Meta:
        verbose_name = "строка заказа"
        verbose_name_plural = "строки заказа"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.name} × {self.quantity}"

    @property
    def serials(self) -> list[str]:
        return [s.strip() for s in self.serial_numbers.splitlines() if s.strip()]


class OrderStatusChange(models.Model):
    """One move of an order's status: when, by whom, from what to what."""

    order = models.ForeignKey(Order, verbose_name="заказ", on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField("был", max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField("стал", max_length=20, choices=OrderStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("основание", max_length=255, blank=True)
    created_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "смена статуса"
        verbose_name_plural = "история статусов"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order}: {self.from_status or '—'} → {self.to_status}"


class Seller(models.Model):
    """The shop's legal details as documents print them: one record, edited in admin."""

    name = models.CharField("название", max_length=255)
    inn = models.CharField("ИНН", max_length=12)
    kpp = models.CharField("КПП", max_length=9, blank=True)
    ogrn = models.CharField("ОГРН", max_length=15)
    address = models.CharField("юридический адрес", max_length=500)
    site_address = models.CharField("адрес сайта", max_length=200)
    bank_name = models.CharField("банк", max_length=255)
    bik = models.CharField("БИК", max_length=9)
    correspondent_account = models.CharField("корр. счёт", max_length=20)
    settlement_account = models.CharField("расчётный счёт", max_length=20)
    director = models.CharField("руководитель", max_length=150)
    accountant = models.CharField("бухгалтер", max_length=150, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "реквизиты продавца"
        verbose_name_plural = "реквизиты продавца"

    def __str__(self):
        return self.name


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", "Счёт на оплату"
    RECEIPT = "receipt", "Чек"
    WARRANTY = "warranty", "Гарантийный талон"
    UPD = "upd", "УПД"


def document_file_name(instance, filename: str) -> str:
    """A random name in private storage: a document's address tells nothing and cannot be guessed."""
    return random_name("documents", "pdf")


class OrderDocument(models.Model):
    """A document issued once, with its number and both parties as they were then; re-made from that snapshot."""

    order = models.ForeignKey(Order, verbose_name="заказ", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("документ", max_length=10, choices=DocumentKind.choices)
    number = models.CharField("номер", max_length=30, blank=True)
    file = models.FileField("файл", upload_to=document_file_name, storage=private_storage, max_length=200)
    # pretix's invoice_from_* / invoice_to_*: a later edit of the seller's record never changes an issued document.
    seller = models.JSONField("продавец на дату документа", default=dict, blank=True)
    buyer = models.JSONField("покупатель на дату документа", default=dict, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name="исправляет документ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    cancelled_at = models.DateTimeField("аннулирован", null=True, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "документ"
        verbose_name_plural = "документы"
        ordering = ["kind", "pk"]
        constraints = [
            # One original of each kind per order; a correction is a further document naming the one it corrects.
            models.UniqueConstraint(
                fields=["order", "kind"], condition=models.Q(corrects__isnull=True), name="order_document_kind_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} № {self.number or self.order.number}"

    def get_absolute_url(self):
        return reverse("orders:document", kwargs={"number": self.order.number, "kind": self.kind})


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "Ожидает приёмки"
    ACCEPTED = "accepted", "Принят, деньги возвращаются"
    REJECTED = "rejected", "Отклонён"


class ReturnRequest(models.Model):
    """The buyer's request to return goods of a received order; staff accept it when the goods arrive."""

    order = models.ForeignKey(Order, verbose_name="заказ", on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(
        "статус", max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED, db_index=True
    )
    reason = models.TextField("причина", max_length=1000)
    warehouse = models.ForeignKey(
        "catalog.Warehouse", verbose_name="принят на склад", null=True, blank=True, on_delete=models.PROTECT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто решил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("заметка магазина", max_length=255, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    decided_at = models.DateTimeField("решение", null=True, blank=True)

    class Meta:
        verbose_name = "возврат товара"
        verbose_name_plural = "возвраты товара"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Возврат по заказу {self.order.number} от {self.created_at:%d.%m.%Y}"


class ReturnLine(models.Model):
    """Units of one order line the buyer returns."""

    request = models.ForeignKey(ReturnRequest, verbose_name="возврат", on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, verbose_name="строка заказа", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField("количество")

    class Meta:
        verbose_name = "строка возврата"
        verbose_name_plural = "строки возврата"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="return_line_quantity_positive"),
            models.UniqueConstraint(fields=["request", "order_line"], name="return_line_once_per_request"),
        ]

    def __str__(self):
        return f"{self.order_line.name} × {self.quantity}"
