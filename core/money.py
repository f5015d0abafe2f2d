"""Money: Decimal everywhere, rounded to kopecks in exactly one place."""

from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")
NBSP = "\u00a0"


def to_kopecks(amount: Decimal | int | str) -> Decimal:
    """Round an amount to whole kopecks, half up: the only rounding of money in the shop."""
    return Decimal(amount).quantize(KOPECK, rounding=ROUND_HALF_UP)


def format_rub(amount: Decimal | int | None) -> str:
    """12990 -> «12 990 ₽», 12990.5 -> «12 990,50 ₽», with non-breaking spaces so a price never wraps."""
    if amount is None:
        return ""
    value = to_kopecks(Decimal(amount))
    whole, kopecks = divmod(abs(value), 1)
    grouped = f"{int(whole):,}".replace(",", NBSP)
    sign = "−" if value < 0 else ""
    if kopecks:
        return f"{sign}{grouped},{int(kopecks * 100):02d}{NBSP}₽"
    return f"{sign}{grouped}{NBSP}₽"
