"""Prices kept in admin: visit zones, installation packages and the estimate's rules."""

from django.db import models
from django.db.models import Q

MONEY = {"max_digits": 12, "decimal_places": 2}


class ServiceZone(models.Model):
    """Regions with one visit fee and one diagnostics fee."""

    name = models.CharField("название", max_length=150)
    regions = models.ManyToManyField("core.Region", verbose_name="регионы", related_name="+")
    visit_fee = models.DecimalField("выезд техника, ₽", **MONEY)
    diagnostics_fee = models.DecimalField(
        "диагностика, ₽", **MONEY, help_text="Засчитывается в стоимость ремонта, если клиент его согласует."
    )

    class Meta:
        verbose_name = "зона выезда"
        verbose_name_plural = "зоны выезда и диагностика"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_fee__gte=0, diagnostics_fee__gte=0), name="service_zone_fees_non_negative"
            )
        ]

    def __str__(self):
        return self.name


class InstallationPackage(models.Model):
    """Базовый, Оптимальный, Премиум: how many devices an object gets and what is included."""

    name = models.CharField("название", max_length=50)
    slug = models.SlugField("код", max_length=30, unique=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    coverage = models.DecimalField(
        "охват", max_digits=4, decimal_places=2, default=1, help_text="Множитель числа устройств: 1 — норма."
    )
    includes = models.TextField("что входит", help_text="По строке на пункт.")
    is_active = models.BooleanField("предлагается", default=True)

    class Meta:
        verbose_name = "пакет установки"
        verbose_name_plural = "пакеты установки"
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(coverage__gt=0), name="package_coverage_positive")]

    def __str__(self):
        return self.name

    @property
    def include_lines(self) -> list[str]:
        return [line.strip() for line in self.includes.splitlines() if line.strip()]


class Goal(models.TextChoices):
    VIDEO = "video", "Видеонаблюдение"
    ALARM = "alarm", "Сигнализация"
    ACCESS = "access", "Контроль доступа"
    SENSORS = "sensors", "Датчики"


class EstimateSection(models.TextChoices):
    WORKS = "works", "Работы"
    MATERIALS = "materials", "Материалы"
    EXTRAS = "extras", "Дополнительные услуги (в месяц)"


class EstimateBasis(models.TextChoices):
    FIXED = "fixed", "Фиксированно за объект"
    PER_DEVICE = "device", "За устройство"
    PER_M2 = "m2", "За м² площади"
    PER_FLOOR = "floor", "За этаж"
    MONTHLY = "monthly", "В месяц"


class EstimateRule(models.Model):
    """One line of a preliminary estimate: what, how much of it, at what price."""

    section = models.CharField("раздел", max_length=10, choices=EstimateSection.choices)
    name = models.CharField("наименование", max_length=150)
    basis = models.CharField("считается", max_length=10, choices=EstimateBasis.choices)
    goal = models.CharField(
        "цель", max_length=10, choices=Goal.choices, blank=True, help_text="Пусто — для любой цели, один раз."
    )
    object_type = models.ForeignKey(
        "catalog.ObjectType",
        verbose_name="тип объекта",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Пусто — для любого объекта.",
    )
    quantity = models.DecimalField(
        "количество на единицу", max_digits=8, decimal_places=2, default=1, help_text="Например, 0,6 м кабеля на м²."
    )
    area_per_device = models.DecimalField(
        "м² на устройство",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Для строк «за устройство»: сколько м² покрывает одно устройство.",
    )
    unit = models.CharField("единица", max_length=10, default="шт")
    price = models.DecimalField("цена за единицу, ₽", **MONEY)
    hourly = models.BooleanField("почасовая оплата", default=False)
    packages = models.ManyToManyField(
        InstallationPackage, verbose_name="входит в пакеты", blank=True, help_text="Пусто — во все пакеты."
    )
    position = models.PositiveSmallIntegerField("порядок", default=0)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "правило сметы"
        verbose_name_plural = "правила сметы"
        ordering = ["section", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0, quantity__gt=0), name="estimate_rule_values_valid"),
            models.CheckConstraint(
                condition=~Q(basis="device") | Q(area_per_device__gt=0), name="estimate_rule_device_has_area"
            ),
        ]

    def __str__(self):
        return self.name
