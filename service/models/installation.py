"""Installation requests (БП-7): the object, the estimate per package, the final cost and history."""

from django.db import models
from django.db.models import Q

from core.money import to_kopecks
from core.storage import private_storage
from service.models.prices import MONEY, EstimateSection, Goal, InstallationPackage
from service.models.requests import ServiceRequest, StatusChange
from service.models.schedule import Crew


class InstallationStatus(models.TextChoices):
    NEW = "new", "Новая"
    CONFIRMED = "confirmed", "Подтверждена"
    SURVEY = "survey", "Обследование объекта"
    AWAITING_APPROVAL = "approval", "Ждёт согласования сметы"
    INSTALLING = "installing", "Монтаж"
    HANDED_OVER = "handed_over", "Система передана клиенту"
    CLOSED = "closed", "Закрыта"
    CANCELLED = "cancelled", "Отменена"


class InstallationRequest(ServiceRequest):
    status = models.CharField(
        "статус", max_length=12, choices=InstallationStatus.choices, default=InstallationStatus.NEW
    )
    object_type = models.ForeignKey(
        "catalog.ObjectType",
        verbose_name="тип объекта",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Пусто — другое.",
    )
    area_m2 = models.PositiveIntegerField("площадь, м²")
    floors = models.PositiveSmallIntegerField("этажей")
    has_internet = models.BooleanField("есть интернет", default=False)
    has_lan = models.BooleanField("есть локальная сеть", default=False)
    special_zones = models.JSONField("особые зоны", default=list, blank=True)
    access_mode = models.CharField("режим доступа", max_length=255, blank=True)
    goals = models.JSONField("цели", default=list)
    turnkey = models.BooleanField("под ключ", default=True)
    own_equipment = models.CharField("оборудование, уже купленное у нас", max_length=255, blank=True)
    desired_date = models.DateField("желаемая дата")
    wants_survey = models.BooleanField("нужно обследование", default=False)
    package = models.ForeignKey(InstallationPackage, verbose_name="пакет", on_delete=models.PROTECT, related_name="+")
    crew = models.ForeignKey(Crew, verbose_name="бригада", null=True, blank=True, on_delete=models.PROTECT)
    one_time_total = models.DecimalField("смета разово, ₽", **MONEY, default=0)
    monthly_total = models.DecimalField("в месяц, ₽", **MONEY, default=0)
    act = models.FileField(
        "акт выполненных работ", upload_to="acts/", storage=private_storage, max_length=200, blank=True
    )
    act_made_at = models.DateTimeField("акт сформирован", null=True, blank=True)

    class Meta(ServiceRequest.Meta):
        verbose_name = "заявка на установку"
        verbose_name_plural = "заявки на установку"
        indexes = [models.Index(fields=["user", "-created_at"], name="install_user_created")]
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0, floors__gt=0), name="install_area_floors_positive")
        ]

    @property
    def goal_labels(self) -> list[str]:
        return [Goal(code).label for code in self.goals if code in Goal.values]


class InstallationStatusChange(StatusChange):
    request = models.ForeignKey(
        InstallationRequest, verbose_name="заявка", on_delete=models.CASCADE, related_name="history"
    )
    status = models.CharField("статус", max_length=12, choices=InstallationStatus.choices)


class EstimateLine(models.Model):
    """A saved line of an installation estimate, for one of the packages offered."""

    request = models.ForeignKey(
        InstallationRequest, verbose_name="заявка", on_delete=models.CASCADE, related_name="estimate_lines"
    )
    package = models.ForeignKey(InstallationPackage, verbose_name="пакет", on_delete=models.PROTECT, related_name="+")
    section = models.CharField("раздел", max_length=10, choices=EstimateSection.choices)
    name = models.CharField("наименование", max_length=150)
    unit = models.CharField("единица", max_length=10)
    quantity = models.DecimalField("количество", max_digits=10, decimal_places=2)
    price = models.DecimalField("цена, ₽", **MONEY)
    total = models.DecimalField("сумма, ₽", **MONEY)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "строка сметы"
        verbose_name_plural = "строки сметы"
        ordering = ["package__position", "position", "pk"]

    def __str__(self):
        return self.name


class WorkLine(models.Model):
    """A line of the final cost: what was actually done and supplied, as agreed with the customer; the act prints it.

    Copied from the chosen package's estimate when the installation starts; staff correct it in admin.
    """

    request = models.ForeignKey(
        InstallationRequest, verbose_name="заявка", on_delete=models.CASCADE, related_name="work_lines"
    )
    section = models.CharField("раздел", max_length=10, choices=EstimateSection.choices)
    name = models.CharField("наименование", max_length=150)
    unit = models.CharField("единица", max_length=10, default="шт")
    quantity = models.DecimalField("количество", max_digits=10, decimal_places=2)
    price = models.DecimalField("цена, ₽", **MONEY)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "строка итоговой стоимости"
        verbose_name_plural = "итоговая стоимость (для акта)"
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0, price__gte=0), name="work_line_values_valid")]

    def __str__(self):
        return self.name

    @property
    def total(self):
        return to_kopecks(self.quantity * self.price)
