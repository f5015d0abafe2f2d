from decimal import Decimal

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from imagekit.models import ImageSpecField
from pilkit.processors import ResizeToFit

from catalog.changes import (
    CatalogQuerySet,
    KitComponentQuerySet,
    ProductQuerySet,
    ProductRowQuerySet,
    StockQuerySet,
)
from catalog.validators import validate_image_content, validate_image_size
from core.models import Region
from core.vat import DEFAULT_RATE, VatRate, vat_percent


def external_id_field(max_length: int = 80):
    """The Ид of the same thing in 1C (CommerceML), when it came from there."""
    return models.CharField(
        "Ид в 1С", max_length=max_length, null=True, blank=True, unique=True, help_text="Заполняет обмен с 1С."
    )


class TimeStamped(models.Model):
    created_at = models.DateTimeField("создан", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        abstract = True


class ObjectType(models.Model):
    """A kind of protected premises: квартира, дом, офис, склад."""

    slug = models.SlugField("код", max_length=30, unique=True)
    name = models.CharField("название", max_length=50)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "тип объекта"
        verbose_name_plural = "типы объектов"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Attribute(models.Model):
    """A property a product of some categories has: resolution, viewing angle, protocol."""

    name = models.CharField("название", max_length=100)
    slug = models.SlugField("код", max_length=50, unique=True)
    unit = models.CharField("единица", max_length=20, blank=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    external_id = external_id_field()

    objects = CatalogQuerySet.as_manager()

    class Meta:
        verbose_name = "характеристика"
        verbose_name_plural = "характеристики"
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.name}, {self.unit}" if self.unit else self.name


class Category(TimeStamped):
    parent = models.ForeignKey(
        "self",
        verbose_name="родительская категория",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField("название", max_length=100)
    slug = models.SlugField("адрес", max_length=100, unique=True)
    description = models.TextField("описание", blank=True)
    icon = models.CharField("значок", max_length=30, blank=True, help_text="Имя значка для плитки на главной.")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    is_active = models.BooleanField("показывать", default=True)
    filter_attributes = models.ManyToManyField(
        Attribute,
        verbose_name="характеристики для фильтров",
        blank=True,
        related_name="categories",
    )
    external_id = external_id_field()
    # The name as 1C last sent it: a category whose name differs was renamed by staff and keeps their name.
    external_name = models.CharField("название в 1С", max_length=100, blank=True, editable=False)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        verbose_name = "категория"
        verbose_name_plural = "категории"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:category", kwargs={"slug": self.slug})


class Brand(TimeStamped):
    name = models.CharField("название", max_length=100, unique=True)
    slug = models.SlugField("адрес", max_length=100, unique=True)
    country = models.CharField("страна", max_length=60, blank=True)
    external_id = external_id_field()

    objects = CatalogQuerySet.as_manager()

    class Meta:
        verbose_name = "бренд"
        verbose_name_plural = "бренды"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(TimeStamped):
    sku = models.CharField("артикул", max_length=64, unique=True)
    name = models.CharField("название", max_length=255)
    slug = models.SlugField("адрес", max_length=255, unique=True)
    category = models.ForeignKey(Category, verbose_name="категория", on_delete=models.PROTECT, related_name="products")
    brand = models.ForeignKey(
        Brand, verbose_name="бренд", null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    description = models.TextField("описание", blank=True)
    price = models.DecimalField(
        "цена, ₽",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="Цена должна быть больше нуля.")],
    )
    old_price = models.DecimalField(
        "старая цена, ₽",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Зачёркнутая цена; должна быть выше текущей.",
    )
    vat_rate = models.CharField("ставка НДС", max_length=4, choices=VatRate.choices, default=DEFAULT_RATE)
    warranty_months = models.PositiveSmallIntegerField("гарантия, мес.", default=12)
    weight_kg = models.DecimalField("вес, кг", max_digits=8, decimal_places=3, null=True, blank=True)
    length_mm = models.PositiveIntegerField("длина, мм", null=True, blank=True)
    width_mm = models.PositiveIntegerField("ширина, мм", null=True, blank=True)
    height_mm = models.PositiveIntegerField("высота, мм", null=True, blank=True)
    is_service = models.BooleanField(
        "услуга",
        default=False,
        help_text="Работа, а не товар: у неё нет остатков на складе.",
    )
    backorder_days = models.PositiveSmallIntegerField(
        "срок поставки под заказ, дн.",
        null=True,
        blank=True,
        help_text="Если указан, товар без остатка можно заказать: «Под заказ».",
    )
    object_types = models.ManyToManyField(
        ObjectType, verbose_name="подходит для объектов", blank=True, related_name="products"
    )
    popularity = models.PositiveIntegerField("популярность", default=0, db_index=True)
    is_active = models.BooleanField("в продаже", default=True, db_index=True)
    external_id = external_id_field(max_length=160)
    barcode = models.CharField("штрихкод", max_length=64, blank=True, db_index=True)
    unit = models.CharField("единица измерения", max_length=20, blank=True, help_text="Пусто — штука.")
    base_product = models.ForeignKey(
        "self",
        verbose_name="основной товар",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="variants",
        help_text="Для варианта (характеристики) товара из 1С.",
    )
    search_text = models.TextField("поисковый текст", blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = "товар"
        verbose_name_plural = "товары"
        ordering = ["-popularity", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(
                condition=models.Q(old_price__isnull=True) | models.Q(old_price__gt=models.F("price")),
                name="product_old_price_above_price",
            ),
        ]
        indexes = [
            models.Index(fields=["category", "is_active", "-popularity"], name="product_cat_popular"),
            models.Index(fields=["category", "is_active", "price"], name="product_cat_price"),
            models.Index(fields=["category", "is_active", "-created_at"], name="product_cat_new"),
            # Search matches a typed SKU case-insensitively: UPPER(sku) = UPPER(query).
            models.Index(Upper("sku"), name="product_sku_upper"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:product", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.old_price is not None and self.price is not None and self.old_price <= self.price:
            raise ValidationError({"old_price": "Старая цена должна быть выше текущей."})

    @property
    def vat_percent(self):
        return vat_percent(self.vat_rate)

    @property
    def discount_percent(self):
        if not self.old_price:
            return None
        return int((1 - self.price / self.old_price) * 100)


class ProductImage(models.Model):
    product = models.ForeignKey(Product, verbose_name="товар", on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        "изображение", upload_to="products/%Y/%m/", validators=[validate_image_size, validate_image_content]
    )
    thumbnail = ImageSpecField(
        source="image", processors=[ResizeToFit(400, 400)], format="JPEG", options={"quality": 85}
    )
    # The thumbnail's file as stored when the image is saved (catalog.services.product_images_store_thumbnails),
    # so no page asks imagekit for its name at render time.
    thumbnail_name = models.CharField("файл превью", max_length=255, blank=True, editable=False)
    thumbnail_width = models.PositiveSmallIntegerField("ширина превью", null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveSmallIntegerField("высота превью", null=True, blank=True, editable=False)
    alt = models.CharField("подпись", max_length=255, blank=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    objects = ProductRowQuerySet.as_manager()

    class Meta:
        verbose_name = "изображение"
        verbose_name_plural = "изображения"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt or self.image.name

    @property
    def thumbnail_url(self) -> str:
        """The stored thumbnail's address; the original picture's until the thumbnail is stored."""
        if self.thumbnail_name:
            return self.image.storage.url(self.thumbnail_name)
        return self.image.url if self.image else ""


class ProductAttributeValue(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="attribute_values")
    attribute = models.ForeignKey(
        Attribute, verbose_name="характеристика", on_delete=models.PROTECT, related_name="values"
    )
    value = models.CharField("значение", max_length=100)

    objects = ProductRowQuerySet.as_manager()

    class Meta:
        verbose_name = "значение характеристики"
        verbose_name_plural = "характеристики"
        ordering = ["attribute__position", "attribute__name"]
        constraints = [models.UniqueConstraint(fields=["product", "attribute"], name="product_attribute_unique")]
        indexes = [models.Index(fields=["attribute", "value"], name="attribute_value_idx")]

    def __str__(self):
        return f"{self.attribute.name}: {self.value}"


class KitComponent(models.Model):
    """A product that a ready-made kit contains."""

    kit = models.ForeignKey(Product, verbose_name="комплект", on_delete=models.CASCADE, related_name="components")
    product = models.ForeignKey(Product, verbose_name="товар", on_delete=models.CASCADE, related_name="in_kits")
    quantity = models.PositiveSmallIntegerField("количество", default=1, validators=[MinValueValidator(1)])

    objects = KitComponentQuerySet.as_manager()

    class Meta:
        verbose_name = "состав комплекта"
        verbose_name_plural = "состав комплекта"
        constraints = [models.UniqueConstraint(fields=["kit", "product"], name="kit_component_unique")]

    def __str__(self):
        return f"{self.product} × {self.quantity}"


class Warehouse(TimeStamped):
    code = models.SlugField("код", max_length=30, unique=True)
    name = models.CharField("название", max_length=100)
    city = models.CharField("город", max_length=100)
    address = models.CharField("адрес", max_length=255, blank=True)
    regions = models.ManyToManyField(Region, verbose_name="обслуживает регионы", blank=True, related_name="warehouses")
    is_active = models.BooleanField("работает", default=True)
    external_id = external_id_field()

    objects = CatalogQuerySet.as_manager()

    class Meta:
        verbose_name = "склад"
        verbose_name_plural = "склады"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Stock(models.Model):
    """How many units of a product a warehouse has, and how many of them are reserved."""

    product = models.ForeignKey(Product, verbose_name="товар", on_delete=models.CASCADE, related_name="stocks")
    warehouse = models.ForeignKey(Warehouse, verbose_name="склад", on_delete=models.PROTECT, related_name="stocks")
    quantity = models.PositiveIntegerField("на складе", default=0)
    reserved = models.PositiveIntegerField("в резерве", default=0)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    objects = StockQuerySet.as_manager()

    class Meta:
        verbose_name = "остаток"
        verbose_name_plural = "остатки по складам"
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="stock_product_warehouse_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_quantity_non_negative"),
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("quantity")), name="stock_reserved_le_quantity"
            ),
        ]

    def __str__(self):
        return f"{self.product} — {self.warehouse}: {self.quantity}"


class ReservationState(models.TextChoices):
    HELD = "held", "в резерве"
    RELEASED = "released", "снят"
    WRITTEN_OFF = "written_off", "списан"


class StockReservation(models.Model):
    """Units of one stock row set aside for an order; an expired one stops counting at once.

    `Stock.reserved` is the sum of the held rows (expired or not): it is the counter the database guards,
    while availability adds the expired ones back until the sweep releases them.
    """

    stock = models.ForeignKey(Stock, verbose_name="остаток", on_delete=models.CASCADE, related_name="reservations")
    quantity = models.PositiveIntegerField("количество")
    reference = models.CharField("заказ", max_length=40, db_index=True)
    state = models.CharField(
        "состояние", max_length=12, choices=ReservationState.choices, default=ReservationState.HELD
    )
    expires_at = models.DateTimeField("действует до", null=True, blank=True, help_text="Пусто — до передачи.")
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "резерв"
        verbose_name_plural = "резервы"
        ordering = ["pk"]
        indexes = [models.Index(fields=["state", "expires_at"], name="reservation_state_expiry")]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="reservation_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.stock} × {self.quantity}"
