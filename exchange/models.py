"""The exchange with 1C: sessions and their log, price types, and what the shop remembers between imports."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ExchangeKind(models.TextChoices):
    CATALOG = "catalog", "Каталог"
    SALE = "sale", "Заказы"


class ExchangeSession(models.Model):
    """One exchange run by 1C (from checkauth to complete) or by the import command."""

    kind = models.CharField("тип", max_length=10, choices=ExchangeKind.choices, default=ExchangeKind.CATALOG)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField("откуда", max_length=20, default="1С")
    token_digest = models.CharField("ключ сессии", max_length=64, unique=True, null=True, editable=False)
    folder = models.CharField("папка обмена", max_length=255, blank=True)
    created = models.PositiveIntegerField("создано", default=0)
    updated = models.PositiveIntegerField("изменено", default=0)
    withdrawn = models.PositiveIntegerField("снято с продажи", default=0)
    errors = models.PositiveIntegerField("ошибок", default=0)
    # The moment of the orders a sale query sent, committed by mode=success.
    export_until = models.DateTimeField("выгружены заказы по", null=True, blank=True)
    export_committed_at = models.DateTimeField("1С подтвердила заказы", null=True, blank=True)
    completed_at = models.DateTimeField("завершён", null=True, blank=True)
    created_at = models.DateTimeField("начат", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "обмен с 1С"
        verbose_name_plural = "обмены с 1С"
        ordering = ["-created_at", "-pk"]
        permissions = [("exchange_1c", "Обмен с 1С")]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"


class ExchangeFile(models.Model):
    session = models.ForeignKey(ExchangeSession, verbose_name="обмен", on_delete=models.CASCADE, related_name="files")
    name = models.CharField("файл", max_length=255)
    size = models.PositiveBigIntegerField("размер, байт", default=0)
    parts = models.PositiveIntegerField("частей", default=0)
    # How many records of the file an import has gone through; an import resumes after them.
    position = models.PositiveIntegerField("прочитано записей", default=0, editable=False)
    imported_at = models.DateTimeField("загружен", null=True, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "файл"
        verbose_name_plural = "файлы"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["session", "name"], name="exchange_file_unique")]

    def __str__(self):
        return self.name


class ExchangeEntry(models.Model):
    """A step of an exchange, or an error in a file with its XML line."""

    session = models.ForeignKey(ExchangeSession, verbose_name="обмен", on_delete=models.CASCADE, related_name="entries")
    mode = models.CharField("шаг", max_length=20)
    filename = models.CharField("файл", max_length=255, blank=True)
    answer = models.CharField("ответ", max_length=10, blank=True)
    line = models.PositiveIntegerField("строка XML", null=True, blank=True)
    message = models.TextField("сообщение", blank=True)
    is_error = models.BooleanField("ошибка", default=False)
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "шаг"
        verbose_name_plural = "шаги и ошибки"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.mode} {self.filename} {self.answer}".strip()


class PriceType(models.Model):
    """A price type of 1C (ТипЦены); the retail one sets the shop's prices."""

    external_id = models.CharField("Ид в 1С", max_length=80, unique=True)
    name = models.CharField("название", max_length=100)
    currency = models.CharField("валюта", max_length=10, blank=True)
    is_retail = models.BooleanField("розничная", default=False, help_text="Цены этого типа — цены магазина.")

    class Meta:
        verbose_name = "тип цен"
        verbose_name_plural = "типы цен"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_retail"], condition=models.Q(is_retail=True), name="one_retail_price")
        ]

    def __str__(self):
        return self.name


class ProductPrice(models.Model):
    """A product's price of one type, kept for company price lists."""

    product = models.ForeignKey("catalog.Product", verbose_name="товар", on_delete=models.CASCADE, related_name="+")
    price_type = models.ForeignKey(PriceType, verbose_name="тип цен", on_delete=models.CASCADE, related_name="prices")
    price = models.DecimalField("цена, ₽", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "цена"
        verbose_name_plural = "цены"
        constraints = [models.UniqueConstraint(fields=["product", "price_type"], name="product_price_type_unique")]

    def __str__(self):
        return f"{self.price_type}: {self.price}"


class DirectoryValue(models.Model):
    """A value of a 1C property of type Справочник, by its Ид."""

    attribute = models.ForeignKey("catalog.Attribute", on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField("Ид значения", max_length=80)
    value = models.CharField("значение", max_length=100)

    class Meta:
        verbose_name = "значение справочника"
        verbose_name_plural = "значения справочников"
        constraints = [
            models.UniqueConstraint(fields=["attribute", "external_id"], name="directory_value_unique"),
        ]

    def __str__(self):
        return self.value


class ExchangePicture(models.Model):
    """Which picture file of 1C a product image was made from, so the same file is not added twice."""

    image = models.OneToOneField("catalog.ProductImage", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    source = models.CharField("файл в 1С", max_length=255)

    class Meta:
        verbose_name = "картинка из 1С"
        verbose_name_plural = "картинки из 1С"
        constraints = [models.UniqueConstraint(fields=["product", "source"], name="exchange_picture_unique")]

    def __str__(self):
        return self.source


class WithdrawalReason(models.TextChoices):
    NO_PRICE = "no_price", "нет розничной цены"
    NOT_IN_UNLOAD = "not_in_unload", "нет в полной выгрузке 1С"


class Withdrawal(models.Model):
    """Why the exchange (never staff) keeps a product off sale; it goes back on sale when no reason is left."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("причина", max_length=20, choices=WithdrawalReason.choices)
    session = models.ForeignKey(ExchangeSession, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("снят", auto_now_add=True)

    class Meta:
        verbose_name = "снятие с продажи"
        verbose_name_plural = "снятия с продажи"
        constraints = [models.UniqueConstraint(fields=["product", "reason"], name="withdrawal_unique")]

    def __str__(self):
        return f"{self.product_id}: {self.get_reason_display()}"


class SeenGood(models.Model):
    """A good a full unload held: the goods of 1C not among them go off sale when the file is done."""

    session = models.ForeignKey(ExchangeSession, on_delete=models.CASCADE, related_name="+")
    product_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "product_id"], name="seen_good_unique")]

    def __str__(self):
        return str(self.product_id)
