from django import template

from core.fields import field_html
from core.money import format_rub
from core.phones import format_phone
from core.text import plural, soft_hyphens
from core.vat import vat_note

register = template.Library()


@register.filter(name="field")
def field_filter(bound_field):
    """`{{ form.x|field }}`: the field in the shop's Bootstrap markup (core.fields), as crispy writes it."""
    return field_html(bound_field)


@register.filter
def rub(amount):
    """Format an amount as «12 990 ₽»."""
    return format_rub(amount)


@register.filter(name="plural")
def plural_filter(number, forms):
    """{{ count|plural:"товар,товара,товаров" }} -> «21 товар»."""
    one, few, many = (form.strip() for form in forms.split(","))
    return plural(number or 0, one, few, many)


@register.filter
def phone(value):
    """Show a stored phone as «+7 916 123-45-67»."""
    return format_phone(value)


@register.filter
def vat(rate):
    """A price's VAT label: «в т.ч. НДС 22%» or «без НДС»."""
    return vat_note(rate)


@register.filter(is_safe=True)
def hyphenate(text):
    """Soft hyphens in long Russian words, so a narrow tile breaks «Видео-наблюдение», never «Видеонаблюд|ение»."""
    return soft_hyphens(text)
