from django.conf import settings
from django.db import models


class Region(models.Model):
    """A constituent entity of Russia; `code` is its two-digit tax code (77 — Москва)."""

    code = models.CharField("код", max_length=2, unique=True)
    name = models.CharField("название", max_length=100, unique=True)

    class Meta:
        # The table was created by catalog before the region moved here.
        db_table = "catalog_region"
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self):
        return self.name


class StaffDownload(models.Model):
    """A customer's private file or document opened by a staff member: who, what and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="сотрудник", on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField("что скачано", max_length=200)
    path = models.CharField("адрес", max_length=500)
    created_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "скачивание сотрудником"
        verbose_name_plural = "скачивания сотрудниками"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.what
