"""Repair requests (БП-6): the equipment, its warranty, diagnostics and cost, history and attachments."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.storage import private_storage
from service.models.prices import MONEY
from service.models.requests import ServiceRequest, StatusChange
from service.models.schedule import ServiceCentre


class RepairStatus(models.TextChoices):
    NEW = "new", "Новая"
    CONFIRMED = "confirmed", "Подтверждена"
    DIAGNOSTICS = "diagnostics", "Диагностика"
    AWAITING_APPROVAL = "approval", "Ждёт согласования стоимости"
    IN_REPAIR = "repair", "В ремонте"
    READY = "ready", "Готово"
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
