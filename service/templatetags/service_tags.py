from decimal import Decimal

from django import template

from core.text import plural_form

register = template.Library()

# Units written as whole words agree with the number; abbreviations (шт, м, ч, мес) stay as they are.
UNIT_FORMS = {
    "этаж": ("этаж", "этажа", "этажей"),
    "объект": ("объект", "объекта", "объектов"),
    "час": ("час", "часа", "часов"),
    "точка": ("точка", "точки", "точек"),
    "устройство": ("устройство", "устройства", "устройств"),
    "комплект": ("комплект", "комплекта", "комплектов"),
    "метр": ("метр", "метра", "метров"),
}


def unit_for(quantity, unit: str) -> str:
    """The unit in the form its number asks for: 1 этаж, 2 этажа, 5 этажей, 2,5 этажа."""
    forms = UNIT_FORMS.get(unit)
    if forms is None:
        return unit
    amount = Decimal(quantity)
    if amount != amount.to_integral_value():
        return forms[1]  # a fraction takes the genitive singular: 1,5 этажа
    return plural_form(int(amount), *forms)


@register.filter
def quantity_unit(quantity, unit: str) -> str:
    """{{ line.quantity|quantity_unit:line.unit }} -> «2 этажа», «0,6 м», «3 шт»; no trailing zeros."""
    amount = Decimal(quantity).quantize(Decimal("0.01"))
    number = f"{int(amount)}" if amount == amount.to_integral_value() else f"{amount}".rstrip("0").replace(".", ",")
    return f"{number} {unit_for(quantity, unit)}"


@register.filter(name="unit_for")
def unit_for_filter(quantity, unit: str) -> str:
    """{{ line.quantity|unit_for:line.unit }} -> «этажа» for 2: the unit alone, for a table's own column."""
    return unit_for(quantity, unit)
