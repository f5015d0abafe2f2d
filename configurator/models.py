import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import Region

TOKEN_LENGTH = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_token() -> str:
    """A short random link code without look-alike characters."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(TOKEN_LENGTH))


class SavedConfiguration(models.Model):
    """A CCTV configuration a customer saved: the answers that rebuild it and the kit it gave then."""

    token = models.CharField("код ссылки", max_length=16, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="покупатель",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cctv_configurations",
    )
    region = models.ForeignKey(Region, verbose_name="регион", null=True, blank=True, on_delete=models.SET_NULL)
    answers = models.JSONField("ответы", default=dict, help_text="Поля формы конфигуратора: объект, зоны, замены.")
    kit_lines = models.JSONField("комплект", default=list, help_text="Состав комплекта на момент сохранения.")
    camera_count = models.PositiveSmallIntegerField("камер", default=0)
    total = models.DecimalField("сумма, ₽", max_digits=12, decimal_places=2, default=0)
    passes = models.BooleanField("все проверки пройдены", default=False)
    created_at = models.DateTimeField("создана", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "конфигурация видеонаблюдения"
        verbose_name_plural = "конфигурации видеонаблюдения"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Конфигурация {self.token}"

    def get_absolute_url(self):
        return reverse("configurator:saved", kwargs={"token": self.token})
