"""VAT: the rates a product may carry and the one function that finds the tax inside a gross amount."""

from decimal import Decimal

from django.db import models

from core.money import to_kopecks


class VatRate(models.TextChoices):
    VAT_22 = "22", "НДС 22%"
    VAT_10 = "10", "НДС 10%"
    VAT_7 = "7", "НДС 7%"
    VAT_5 = "5", "НДС 5%"
    VAT_0 = "0", "НДС 0%"
    NO_VAT = "none", "без НДС"


DEFAULT_RATE = VatRate.VAT_22
# Delivery is a service the shop sells at the general rate; every document, receipt and price reads it here.
DELIVERY_RATE = VatRate.VAT_22


def vat_percent(rate: str) -> Decimal | None:
    """The rate as a number of percent, or None for goods sold without VAT."""
    rate = VatRate(rate)
    return None if rate == VatRate.NO_VAT else Decimal(rate.value)


def vat_amount(gross: Decimal, rate: str) -> Decimal:
    """The VAT inside a gross line amount (22% ⇒ 22/122 of it), rounded to kopecks per line."""
    percent = vat_percent(rate)
    if not percent:
        return to_kopecks(0)
    return to_kopecks(Decimal(gross) * percent / (100 + percent))


def vat_total(lines: "list[tuple[Decimal, str]]") -> Decimal:
    """A document's VAT: the sum of its lines' VAT, each rounded on its own."""
    return sum((vat_amount(gross, rate) for gross, rate in lines), to_kopecks(0))


def vat_note(rate: str) -> str:
    """«в т.ч. НДС 22%» or «без НДС», as a price is labelled."""
    percent = vat_percent(rate)
    return "без НДС" if percent is None else f"в т.ч. НДС {percent}%"
