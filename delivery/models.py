from django.core.validators import MinValueValidator
from django.db import models

from core.booking import CapacitySlot


class DeliveryKind(models.TextChoices):
    PICKUP = "pickup", "Самовывоз"
    COURIER = "courier", "Курьер"
    POINT = "point", "Пункт выдачи"
    POST = "post", "Почта России"


class WindowSlot(models.TextChoices):
    MORNING = "10-13", "10:00–13:00"
    AFTERNOON = "13-16", "13:00–16:00"
    EVENING = "16-19", "16:00–19:00"
    NIGHT = "19-22", "19:00–22:00"


class DeliveryMethod(models.Model):
    """A way to hand goods over, with the parcel it can carry."""

    kind = models.CharField("вид", max_length=10, choices=DeliveryKind.choices, unique=True)
    name = models.CharField("название", max_length=100)
    description = models.CharField("описание", max_length=255, blank=True)
    max_weight_kg = models.DecimalField(
        "максимальный вес, кг",
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Пусто — без ограничения.",
    )
    max_side_mm = models.PositiveIntegerField(
        "максимальная сторона, мм", null=True, blank=True, help_text="Пусто — без ограничения."
    )
    position = models.PositiveSmallIntegerField("порядок", default=0)
    is_active = models.BooleanField("работает", default=True)

    class Meta:
        verbose_name = "способ доставки"
        verbose_name_plural = "способы доставки"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class DeliveryZone(models.Model):
    """Regions priced alike; each region belongs to at most one zone."""

    name = models.CharField("название", max_length=100, unique=True)
    window_capacity = models.PositiveIntegerField(
        "заказов в одно окно курьера", default=10, help_text="Для дат, у которых окно не задано отдельно."
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "зона доставки"
        verbose_name_plural = "зоны доставки"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ZoneRegion(models.Model):
    zone = models.ForeignKey(DeliveryZone, verbose_name="зона", on_delete=models.CASCADE, related_name="zone_regions")
    region = models.OneToOneField(
        "core.Region", verbose_name="регион", on_delete=models.CASCADE, related_name="delivery_zone_link"
    )

    class Meta:
        verbose_name = "регион зоны"
        verbose_name_plural = "регионы зоны"

    def __str__(self):
        return f"{self.region} — {self.zone}"


class DeliveryTariff(models.Model):
    """What a method costs in a zone: a price up to a weight, a price per extra kilogram, a free threshold."""

    zone = models.ForeignKey(DeliveryZone, verbose_name="зона", on_delete=models.CASCADE, related_name="tariffs")
    method = models.ForeignKey(DeliveryMethod, verbose_name="способ", on_delete=models.PROTECT, related_name="tariffs")
    cost = models.DecimalField("стоимость, ₽", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    included_kg = models.DecimalField("вес в стоимости, кг", max_digits=8, decimal_places=3, default=0)
    cost_per_kg = models.DecimalField(
        "за каждый следующий кг, ₽", max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    free_from = models.DecimalField(
        "бесплатно от суммы, ₽",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Пусто — всегда платно.",
    )
    transit_days = models.PositiveSmallIntegerField(
        "дней в пути", default=0, help_text="Сверх дня готовности на складе."
    )
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "тариф доставки"
        verbose_name_plural = "тарифы доставки"
        ordering = ["zone", "method__position"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "method"], name="delivery_tariff_zone_method_unique"),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="delivery_tariff_cost_non_negative"),
        ]

    def __str__(self):
        return f"{self.method} — {self.zone}"


class PickupKind(models.TextChoices):
    STORE = "store", "Магазин или склад"
    POINT = "point", "Пункт выдачи"


class PickupPoint(models.Model):
    """A place where a buyer collects an order: our store or warehouse, or a pickup point."""

    kind = models.CharField("вид", max_length=10, choices=PickupKind.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name="регион", on_delete=models.PROTECT, related_name="pickup_points"
    )
    name = models.CharField("название", max_length=150)
    address = models.CharField("адрес", max_length=255)
    hours = models.CharField("часы работы", max_length=150)
    warehouse = models.ForeignKey(
        "catalog.Warehouse",
        verbose_name="склад",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pickup_points",
    )
    is_active = models.BooleanField("работает", default=True)

    class Meta:
        verbose_name = "пункт выдачи"
        verbose_name_plural = "пункты выдачи и магазины"
        ordering = ["region", "kind", "name"]
        indexes = [models.Index(fields=["region", "kind", "is_active"], name="pickup_region_kind")]

    def __str__(self):
        return f"{self.name}, {self.address}"


class CourierWindow(CapacitySlot):
    """The orders a zone's couriers take in one window of one day; booked through core.booking."""

    zone = models.ForeignKey(DeliveryZone, verbose_name="зона", on_delete=models.CASCADE, related_name="windows")
    date = models.DateField("дата")
    slot = models.CharField("окно", max_length=5, choices=WindowSlot.choices)

    class Meta(CapacitySlot.Meta):
        verbose_name = "окно курьера"
        verbose_name_plural = "окна курьера"
        ordering = ["date", "slot"]
        constraints = [
            *CapacitySlot.Meta.constraints,
            models.UniqueConstraint(fields=["zone", "date", "slot"], name="courier_window_unique"),
        ]

    def __str__(self):
        return f"{self.zone}, {self.date:%d.%m.%Y} {self.get_slot_display()}"
