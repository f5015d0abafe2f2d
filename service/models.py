"""Repair (БП-6) and installation (БП-7) requests, who does the work, when, and for how much."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.booking import CapacitySlot
from core.money import to_kopecks
from core.storage import private_storage

MONEY = {"max_digits": 12, "decimal_places": 2}


# --- Who does the work, and when --------------------------------------------------------------------


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


# --- Prices kept in admin ---------------------------------------------------------------------------


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


# --- Requests ---------------------------------------------------------------------------------------


class NumberSequence(models.Model):
    """The last human number given under a prefix: R-000045, U-000012."""

    prefix = models.CharField("префикс", max_length=2, unique=True)
    last = models.PositiveIntegerField("последний номер", default=0)

    class Meta:
        verbose_name = "нумератор заявок"
        verbose_name_plural = "нумераторы заявок"

    def __str__(self):
        return f"{self.prefix}-{self.last:06d}"


class RepairStatus(models.TextChoices):
    NEW = "new", "Новая"
    CONFIRMED = "confirmed", "Подтверждена"
    DIAGNOSTICS = "diagnostics", "Диагностика"
    AWAITING_APPROVAL = "approval", "Ждёт согласования стоимости"
    IN_REPAIR = "repair", "В ремонте"
    READY = "ready", "Готово"
    CLOSED = "closed", "Закрыта"
    CANCELLED = "cancelled", "Отменена"


class InstallationStatus(models.TextChoices):
    NEW = "new", "Новая"
    CONFIRMED = "confirmed", "Подтверждена"
    SURVEY = "survey", "Обследование объекта"
    AWAITING_APPROVAL = "approval", "Ждёт согласования сметы"
    INSTALLING = "installing", "Монтаж"
    HANDED_OVER = "handed_over", "Система передана клиенту"
    CLOSED = "closed", "Закрыта"
    CANCELLED = "cancelled", "Отменена"


class EquipmentSource(models.TextChoices):
    OURS = "ours", "Куплено у нас"
    OTHER_SHOP = "other_shop", "В другом магазине"
    OTHER = "other", "Другое"


class RepairFormat(models.TextChoices):
    VISIT = "visit", "Выезд техника на объект"
    INTAKE = "intake", "Привезу в сервис-центр сам"
    COURIER = "courier", "Курьер заберёт в сервис-центр"


class Symptom(models.TextChoices):
    NO_IMAGE = "no_image", "Нет изображения"
    FALSE_ALARMS = "false_alarms", "Ложные срабатывания"
    NO_RECORDING = "no_recording", "Нет записи"
    POWER = "power", "Проблемы с питанием"
    NETWORK = "network", "Нет связи с сетью или приложением"
    OTHER = "other", "Другое"


class WarrantyStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Проверим при приёме"
    WARRANTY = "warranty", "Гарантийный ремонт"
    PAID = "paid", "Платный ремонт"


class CostDecision(models.TextChoices):
    APPROVED = "approved", "Согласована"
    DECLINED = "declined", "Отклонена"


class ServiceRequest(models.Model):
    """What repair and installation requests share: number, customer, place, contact, slot, status."""

    number = models.CharField("номер", max_length=10, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="клиент", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("core.Region", verbose_name="регион", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("адрес", max_length=255, blank=True)
    access_notes = models.CharField("доступ: домофон, этаж, пропуск", max_length=255, blank=True)
    contact_name = models.CharField("контактное лицо", max_length=150)
    contact_phone = models.CharField("телефон для связи", max_length=16)
    slot = models.ForeignKey(
        ServiceSlot, verbose_name="слот", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cost_decision = models.CharField("решение клиента", max_length=10, choices=CostDecision.choices, blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("service:detail", kwargs={"number": self.number})


class RepairRequest(ServiceRequest):
    status = models.CharField("статус", max_length=12, choices=RepairStatus.choices, default=RepairStatus.NEW)
    equipment_model = models.CharField("модель оборудования", max_length=150)
    serial_number = models.CharField("серийный номер", max_length=64, blank=True)
    source = models.CharField("где куплено", max_length=12, choices=EquipmentSource.choices)
    purchase_date = models.DateField("дата покупки", null=True, blank=True)
    product = models.ForeignKey(
        "catalog.Product", verbose_name="товар каталога", null=True, blank=True, on_delete=models.SET_NULL
    )
    order_line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name="строка заказа",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    symptoms = models.JSONField("симптомы", default=list)
    description = models.TextField("описание", blank=True)
    format = models.CharField("формат", max_length=10, choices=RepairFormat.choices)
    centre = models.ForeignKey(
        ServiceCentre, verbose_name="сервис-центр", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    warranty = models.CharField(
        "гарантия",
        max_length=10,
        choices=WarrantyStatus.choices,
        default=WarrantyStatus.PAID,
        help_text="«Гарантийный» сам собой — только для товара из заказа клиента; остальное решает сотрудник.",
    )
    warranty_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="гарантию проверил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    warranty_checked_at = models.DateTimeField("гарантия проверена", null=True, blank=True)
    diagnostics_fee = models.DecimalField("диагностика, ₽", **MONEY, default=0)
    visit_fee = models.DecimalField("выезд, ₽", **MONEY, default=0)
    diagnosis = models.TextField("заключение диагностики", blank=True)
    repair_cost = models.DecimalField("стоимость ремонта, ₽", **MONEY, null=True, blank=True)
    act = models.FileField(
        "акт выполненных работ", upload_to="acts/", storage=private_storage, max_length=200, blank=True
    )
    act_made_at = models.DateTimeField("акт сформирован", null=True, blank=True)

    class Meta(ServiceRequest.Meta):
        verbose_name = "заявка на ремонт"
        verbose_name_plural = "заявки на ремонт"
        indexes = [models.Index(fields=["user", "-created_at"], name="repair_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(repair_cost__isnull=True) | Q(repair_cost__gte=0), name="repair_cost_non_negative"
            )
        ]

    @property
    def is_warranty(self) -> bool:
        return self.warranty == WarrantyStatus.WARRANTY

    @property
    def warranty_unchecked(self) -> bool:
        return self.warranty == WarrantyStatus.UNCHECKED

    @property
    def preliminary_cost(self):
        return self.diagnostics_fee + self.visit_fee

    @property
    def symptom_labels(self) -> list[str]:
        return [Symptom(code).label for code in self.symptoms if code in Symptom.values]


class StatusChange(models.Model):
    """One move of a request's status: who made it, when and why; `request` and `status` are the subclass's."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="автор", null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField("комментарий", max_length=255, blank=True)
    created_at = models.DateTimeField("время", auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = "смена статуса"
        verbose_name_plural = "история статусов"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"


class RepairStatusChange(StatusChange):
    request = models.ForeignKey(RepairRequest, verbose_name="заявка", on_delete=models.CASCADE, related_name="history")
    status = models.CharField("статус", max_length=12, choices=RepairStatus.choices)


class AttachmentKind(models.TextChoices):
    IMAGE = "image", "Изображение"
    VIDEO = "video", "Видео"
    PDF = "pdf", "PDF"


def _attachment_path(instance, filename: str) -> str:
    return f"repair/{instance.token.hex[:2]}/{instance.token.hex}"


class RepairAttachment(models.Model):
    """A private file of a request: served only through a view, to its owner and to staff."""

    request = models.ForeignKey(
        RepairRequest, verbose_name="заявка", on_delete=models.CASCADE, related_name="attachments"
    )
    token = models.UUIDField("ключ ссылки", default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField("файл", upload_to=_attachment_path, storage=private_storage, max_length=200)
    original_name = models.CharField("имя файла", max_length=255)
    kind = models.CharField("тип", max_length=10, choices=AttachmentKind.choices)
    content_type = models.CharField("MIME-тип", max_length=50)
    size = models.PositiveBigIntegerField("размер, байт")
    created_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        verbose_name = "вложение"
        verbose_name_plural = "вложения"
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


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
