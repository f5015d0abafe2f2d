"""Who does the work and when: service centres, technicians, crews and their slots."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.booking import CapacitySlot


class WorkingHours(models.Model):
    """Days and hours of work, cut into slots by `service_slots_generate`."""

    work_days = models.CharField(
        "рабочие дни", max_length=7, default="12345", help_text="Номера дней недели: 1 — понедельник … 7 — воскресенье."
    )
    work_start = models.TimeField("начало дня", default="09:00")
    work_end = models.TimeField("конец дня", default="18:00")
    slot_minutes = models.PositiveSmallIntegerField("длина слота, мин", default=180)
    slot_capacity = models.PositiveSmallIntegerField("мест в слоте", default=1)
    is_active = models.BooleanField("работает", default=True)

    class Meta:
        abstract = True


class ServiceCentre(WorkingHours):
    """A centre that takes equipment in, brought by the customer or fetched by our courier."""

    name = models.CharField("название", max_length=150)
    region = models.ForeignKey("core.Region", verbose_name="регион", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("адрес", max_length=255)
    courier_capacity = models.PositiveSmallIntegerField("курьерских заборов в слоте", default=1)

    class Meta:
        verbose_name = "сервис-центр"
        verbose_name_plural = "сервис-центры"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.address}"


class Technician(WorkingHours):
    """A technician who visits customers in the regions he serves."""

    name = models.CharField("имя", max_length=150)
    phone = models.CharField("телефон", max_length=16, blank=True)
    centre = models.ForeignKey(
        ServiceCentre, verbose_name="сервис-центр", null=True, blank=True, on_delete=models.SET_NULL
    )
    regions = models.ManyToManyField("core.Region", verbose_name="обслуживает регионы", related_name="+")

    class Meta:
        verbose_name = "техник"
        verbose_name_plural = "техники"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Crew(WorkingHours):
    """An installation crew."""

    name = models.CharField("название", max_length=150)
    leader = models.CharField("бригадир", max_length=150, blank=True)
    regions = models.ManyToManyField("core.Region", verbose_name="обслуживает регионы", related_name="+")

    class Meta:
        verbose_name = "бригада монтажников"
        verbose_name_plural = "бригады монтажников"
        ordering = ["name"]

    def __str__(self):
        return self.name


class SlotKind(models.TextChoices):
    VISIT = "visit", "Выезд техника"
    INTAKE = "intake", "Приём в сервис-центре"
    COURIER = "courier", "Забор курьером в сервис-центр"
    INSTALL = "install", "Монтаж бригадой"


class ServiceSlot(CapacitySlot):
    """A time of one technician, centre or crew; places are taken through core.booking."""

    kind = models.CharField("вид", max_length=10, choices=SlotKind.choices)
    technician = models.ForeignKey(
        Technician, verbose_name="техник", null=True, blank=True, on_delete=models.CASCADE, related_name="slots"
    )
    centre = models.ForeignKey(
        ServiceCentre,
        verbose_name="сервис-центр",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="slots",
    )
    crew = models.ForeignKey(
        Crew, verbose_name="бригада", null=True, blank=True, on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("конец")

    class Meta(CapacitySlot.Meta):
        verbose_name = "слот"
        verbose_name_plural = "слоты"
        ordering = ["starts_at", "pk"]
        constraints = [
            *CapacitySlot.Meta.constraints,
            models.CheckConstraint(
                condition=(
                    Q(kind="visit", technician__isnull=False, centre__isnull=True, crew__isnull=True)
                    | Q(
                        kind__in=["intake", "courier"], technician__isnull=True, centre__isnull=False, crew__isnull=True
                    )
                    | Q(kind="install", technician__isnull=True, centre__isnull=True, crew__isnull=False)
                ),
                name="service_slot_owner_matches_kind",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="service_slot_ends_after"),
            models.UniqueConstraint(
                fields=["technician", "starts_at"], condition=Q(kind="visit"), name="service_slot_technician_unique"
            ),
            models.UniqueConstraint(
                fields=["centre", "kind", "starts_at"],
                condition=Q(kind__in=["intake", "courier"]),
                name="service_slot_centre_unique",
            ),
            models.UniqueConstraint(
                fields=["crew", "starts_at"], condition=Q(kind="install"), name="service_slot_crew_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "starts_at"], name="service_slot_kind_start")]

    def __str__(self):
        return f"{self.owner}: {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    @property
    def owner(self):
        return self.technician or self.centre or self.crew
