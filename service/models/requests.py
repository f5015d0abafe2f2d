"""What repair and installation requests share: the human number, the request's fields, a status move."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from service.models.schedule import ServiceSlot


class NumberSequence(models.Model):
    """The last human number given under a prefix: R-000045, U-000012."""

    prefix = models.CharField("префикс", max_length=2, unique=True)
    last = models.PositiveIntegerField("последний номер", default=0)

    class Meta:
        verbose_name = "нумератор заявок"
        verbose_name_plural = "нумераторы заявок"

    def __str__(self):
        return f"{self.prefix}-{self.last:06d}"


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
