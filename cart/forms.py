from django import forms

from cart.exceptions import InvalidQuantity
from cart.services import MAX_QUANTITY, MIN_QUANTITY

QUANTITY_ERRORS = {
    "invalid": InvalidQuantity.message,
    "min_value": InvalidQuantity.message,
    "max_value": InvalidQuantity.message,
    "required": InvalidQuantity.message,
}


class CartAddForm(forms.Form):
    """The «Добавить в корзину» button: a product and, when given, how many units."""

    product = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(
        label="Количество",
        required=False,
        min_value=MIN_QUANTITY,
        max_value=MAX_QUANTITY,
        error_messages=QUANTITY_ERRORS,
    )
    next = forms.CharField(required=False)

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data.get("quantity")
        return MIN_QUANTITY if quantity is None else quantity


class CartLineQuantityForm(forms.Form):
    quantity = forms.IntegerField(
        label="Количество", min_value=MIN_QUANTITY, max_value=MAX_QUANTITY, error_messages=QUANTITY_ERRORS
    )
