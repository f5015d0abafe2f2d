from decimal import Decimal

import pytest

from catalog.tests.factories import BrandFactory, CategoryFactory, ProductFactory
from orders.pricing import PriceLine
from orders.selectors import promo_terms
from promotions.selectors import promo_get
from promotions.tests.factories import PromoCodeFactory

pytestmark = pytest.mark.django_db


def _line(product) -> PriceLine:
    return PriceLine(
        key=product.pk,
        name=product.name,
        price=product.price,
        quantity=1,
        category_id=product.category_id,
        brand_id=product.brand_id,
    )


def test_promo_on_a_category_applies_to_products_of_its_grandchildren():
    parent = CategoryFactory()
    grandchild = CategoryFactory(parent=CategoryFactory(parent=parent))
    promo = PromoCodeFactory(code="CAMERAS")
    promo.categories.add(parent)

    terms = promo_terms(promo_get(code="CAMERAS"))

    assert terms.applies_to(_line(ProductFactory(category=grandchild)))


def test_promo_on_a_category_does_not_apply_to_its_parent_or_siblings():
    parent = CategoryFactory()
    child, sibling = CategoryFactory(parent=parent), CategoryFactory(parent=parent)
    promo = PromoCodeFactory(code="CHILD")
    promo.categories.add(child)

    terms = promo_terms(promo_get(code="CHILD"))

    assert terms.category_ids == frozenset({child.pk})
    assert not terms.applies_to(_line(ProductFactory(category=parent)))
    assert not terms.applies_to(_line(ProductFactory(category=sibling)))


def test_promo_on_a_brand_still_applies_only_to_that_brand():
    brand = BrandFactory()
    promo = PromoCodeFactory(code="BRAND", value=Decimal("5"))
    promo.brands.add(brand)

    terms = promo_terms(promo_get(code="BRAND"))

    assert terms.applies_to(_line(ProductFactory(brand=brand)))
    assert not terms.applies_to(_line(ProductFactory()))
