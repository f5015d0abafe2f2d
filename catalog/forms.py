from decimal import Decimal

from django import forms

from catalog.selectors import ListingFilters

SORT_CHOICES = [
    ("popular", "Популярные"),
    ("price", "Сначала дешевле"),
    ("-price", "Сначала дороже"),
    ("new", "Новинки"),
]

MAX_VALUES = 30


class CatalogFilterForm(forms.Form):
    """The category page's filters, read from the query string."""

    price_min = forms.DecimalField(
        label="Цена от",
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"placeholder": "от", "class": "form-control form-control-sm"}),
    )
    price_max = forms.DecimalField(
        label="Цена до",
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"placeholder": "до", "class": "form-control form-control-sm"}),
    )
    in_stock = forms.BooleanField(label="Только в наличии", required=False)
    sort = forms.ChoiceField(label="Сортировка", choices=SORT_CHOICES, required=False)

    def __init__(self, data, *, attribute_slugs=(), **kwargs):
        super().__init__(data, **kwargs)
        self.attribute_slugs = list(attribute_slugs)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", "Цена «до» должна быть не меньше цены «от».")
        return cleaned

    def _values(self, name):
        # A NUL character matches nothing and PostgreSQL refuses it, so such a value is dropped.
        values = {v.strip()[:100] for v in self.data.getlist(name) if v.strip() and "\x00" not in v}
        return tuple(sorted(values))[:MAX_VALUES]

    def listing_filters(self) -> ListingFilters:
        """The filters from the valid fields; a wrong field is ignored and shown with its error."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        attributes = tuple((slug, values) for slug in self.attribute_slugs if (values := self._values(f"a_{slug}")))
        return ListingFilters(
            brands=self._values("brand"),
            price_min=cleaned.get("price_min") if "price_min" not in self.errors else None,
            price_max=cleaned.get("price_max") if "price_max" not in self.errors else None,
            in_stock=bool(cleaned.get("in_stock")),
            attributes=attributes,
            sort=cleaned.get("sort") or "popular",
        )
