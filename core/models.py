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
