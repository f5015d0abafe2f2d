"""The pricing function, without a database."""

from decimal import Decimal as D

import pytest

from core.vat import VatRate
from orders.pricing import (
    POINTS_NOT_WITH_PROMO,
    POINTS_OVER_CAP,
    POINTS_OVER_TOTAL,
    PROMO_MIN_ORDER,
    PROMO_NOT_IN_CART,
    DeliveryTerms,
    PriceLine,
    PromoKind,
    PromoTerms,
    points_cap,
    price_checkout,
)

CAMERA = PriceLine(key=1, name="Камера", price=D("4000.00"), quantity=2, category_id=10, brand_id=100)
RECORDER = PriceLine(key=2, name="Регистратор", price=D("2000.00"), quantity=1, category_id=20, brand_id=200)


def promo(**kwargs) -> PromoTerms:
    defaults = {"code": "TEST", "kind": PromoKind.PERCENT, "value": D("10")}
    return PromoTerms(**(defaults | kwargs))


def test_goods_only_total_is_sum_of_lines():
    pricing = price_checkout(lines=[CAMERA, RECORDER])

    assert pricing.goods == D("10000.00")
    assert pricing.total == D("10000.00")
    assert [line.total for line in pricing.lines] == [D("8000.00"), D("2000.00")]


@pytest.mark.parametrize(
    ("terms", "discounts"),
    [
        # Percent over the whole cart, spread by line.
        ({"kind": PromoKind.PERCENT, "value": D("10")}, [D("800.00"), D("200.00")]),
        # Fixed sum over the whole cart, spread in proportion 8:2.
        ({"kind": PromoKind.FIXED, "value": D("500")}, [D("400.00"), D("100.00")]),
        # Scoped to a category: only the camera line.
        ({"kind": PromoKind.PERCENT, "value": D("10"), "category_ids": frozenset({10})}, [D("800.00"), D("0.00")]),
        # Scoped to a brand: only the recorder line.
        ({"kind": PromoKind.FIXED, "value": D("300"), "brand_ids": frozenset({200})}, [D("0.00"), D("300.00")]),
        # Scoped to a product.
        ({"kind": PromoKind.PERCENT, "value": D("50"), "product_ids": frozenset({2})}, [D("0.00"), D("1000.00")]),
        # A fixed sum above the eligible goods is capped by them.
        ({"kind": PromoKind.FIXED, "value": D("5000"), "product_ids": frozenset({2})}, [D("0.00"), D("2000.00")]),
    ],
)
def test_promo_discount_is_spread_over_the_lines_it_applies_to(terms, discounts):
    pricing = price_checkout(lines=[CAMERA, RECORDER], promo=promo(**terms))

    assert pricing.promo_error is None
    assert [line.discount for line in pricing.lines] == discounts
    assert pricing.discount == sum(discounts)
    assert pricing.total == D("10000.00") - sum(discounts)


def test_spread_discount_loses_no_kopeck():
    lines = [PriceLine(key=i, name=str(i), price=D("33.33"), quantity=1) for i in range(3)]

    pricing = price_checkout(lines=lines, promo=promo(kind=PromoKind.FIXED, value=D("10")))

    assert [line.discount for line in pricing.lines] == [D("3.34"), D("3.33"), D("3.33")]
    assert pricing.discount == D("10.00")


def test_promo_below_minimum_order_is_refused_with_the_amount():
    pricing = price_checkout(lines=[RECORDER], promo=promo(min_order=D("5000")))

    assert pricing.promo_error == PROMO_MIN_ORDER.format(amount="5\u00a0000\u00a0₽")
    assert pricing.promo_error == "Минимальная сумма заказа 5\u00a0000\u00a0₽"
    assert pricing.discount == D("0.00")
    assert pricing.total == D("2000.00")


def test_promo_scoped_to_nothing_in_the_cart_is_refused():
    pricing = price_checkout(lines=[RECORDER], promo=promo(category_ids=frozenset({10})))

    assert pricing.promo_error == PROMO_NOT_IN_CART
    assert pricing.discount == D("0.00")


@pytest.mark.parametrize(
    ("goods", "cap"),
    [(D("10000.00"), 3000), (D("999.99"), 299), (D("3.33"), 0), (D("0"), 0)],
)
def test_points_cap_is_30_percent_of_goods_in_whole_points(goods, cap):
    assert points_cap(goods) == cap


@pytest.mark.parametrize(
    ("points", "balance", "used", "error"),
    [
        (3000, 5000, 3000, None),
        (3001, 5000, 0, POINTS_OVER_CAP.format(cap="3\u00a0000\u00a0₽")),
        (1500, 1000, 0, "На счёте только 1000 баллов"),
        (1, 1, 1, None),
        (-5, 100, 0, POINTS_OVER_TOTAL),
        (20000, 50000, 0, POINTS_OVER_TOTAL),
    ],
)
def test_points_are_checked_against_cap_balance_and_total(points, balance, used, error):
    pricing = price_checkout(lines=[CAMERA, RECORDER], points=points, points_balance=balance)

    assert pricing.points_error == error
    assert pricing.points == used
    assert pricing.total == D("10000.00") - used


def test_points_cap_applies_after_the_discount():
    pricing = price_checkout(
        lines=[CAMERA, RECORDER], promo=promo(kind=PromoKind.FIXED, value=D("5000")), points=1600, points_balance=9999
    )

    assert pricing.points_cap == 1500
    assert pricing.points == 0
    assert pricing.points_error == POINTS_OVER_CAP.format(cap="1\u00a0500\u00a0₽")


def test_promo_that_does_not_combine_with_points_refuses_the_points():
    minus500 = promo(code="MINUS500", kind=PromoKind.FIXED, value=D("500"), combines_with_points=False)

    pricing = price_checkout(lines=[CAMERA, RECORDER], promo=minus500, points=100, points_balance=1500)

    assert pricing.points_error == POINTS_NOT_WITH_PROMO.format(code="MINUS500")
    assert pricing.discount == D("500.00")
    assert pricing.points == 0


def test_points_reduce_the_lines_and_what_the_order_earns():
    pricing = price_checkout(lines=[CAMERA, RECORDER], points=1000, points_balance=1500)

    assert [line.points for line in pricing.lines] == [D("800.00"), D("200.00")]
    assert pricing.total == D("9000.00")
    # 5% of the goods paid in money.
    assert pricing.earns == 450


def test_earn_percent_is_a_parameter():
    assert price_checkout(lines=[RECORDER], earn_percent=D("3")).earns == 60


@pytest.mark.parametrize(
    ("goods_price", "free_from", "cost"),
    [
        (D("2000.00"), D("5000"), D("390.00")),
        (D("4999.99"), D("5000"), D("390.00")),
        (D("5000.00"), D("5000"), D("0.00")),
        (D("9000.00"), None, D("390.00")),
    ],
)
def test_free_delivery_threshold(goods_price, free_from, cost):
    line = PriceLine(key=1, name="x", price=goods_price, quantity=1)

    pricing = price_checkout(lines=[line], delivery=DeliveryTerms(cost=D("390"), free_from=free_from))

    assert pricing.delivery == cost
    assert pricing.total == goods_price + cost


def test_free_delivery_threshold_counts_goods_after_the_discount():
    line = PriceLine(key=1, name="x", price=D("5000.00"), quantity=1)

    pricing = price_checkout(
        lines=[line], promo=promo(value=D("10")), delivery=DeliveryTerms(cost=D("390"), free_from=D("5000"))
    )

    assert pricing.delivery == D("390.00")
    assert pricing.total == D("4890.00")


@pytest.mark.parametrize(
    ("price", "rate", "vat"),
    [
        (D("12200.00"), VatRate.VAT_22, D("2200.00")),
        (D("100.00"), VatRate.VAT_22, D("18.03")),
        (D("1100.00"), VatRate.VAT_10, D("100.00")),
        (D("99.99"), VatRate.VAT_10, D("9.09")),
        (D("500.00"), VatRate.VAT_0, D("0.00")),
        (D("500.00"), VatRate.NO_VAT, D("0.00")),
    ],
)
def test_vat_inside_a_line_by_its_rate(price, rate, vat):
    pricing = price_checkout(lines=[PriceLine(key=1, name="x", price=price, quantity=1, vat_rate=rate)])

    assert pricing.lines[0].vat == vat
    assert pricing.vat == vat


def test_vat_of_a_mixed_cart_is_the_sum_of_rounded_lines():
    lines = [
        PriceLine(key=1, name="a", price=D("100.00"), quantity=1, vat_rate=VatRate.VAT_22),
        PriceLine(key=2, name="b", price=D("100.00"), quantity=1, vat_rate=VatRate.VAT_22),
        PriceLine(key=3, name="c", price=D("99.99"), quantity=1, vat_rate=VatRate.VAT_10),
        PriceLine(key=4, name="d", price=D("50.00"), quantity=2, vat_rate=VatRate.NO_VAT),
    ]

    pricing = price_checkout(lines=lines, delivery=DeliveryTerms(cost=D("390.00")))

    # 18.03 + 18.03 + 9.09 + 0, each rounded on its own (the unrounded sum would give 36.07 for the 22% lines),
    # plus the delivery's 70.33.
    assert [line.vat for line in pricing.lines] == [D("18.03"), D("18.03"), D("9.09"), D("0.00")]
    assert pricing.delivery_vat == D("70.33")
    assert pricing.vat == D("115.48")
    assert pricing.total == D("789.99")


def test_vat_is_taken_from_the_line_after_discount_and_points():
    line = PriceLine(key=1, name="x", price=D("12200.00"), quantity=1, vat_rate=VatRate.VAT_22)

    pricing = price_checkout(lines=[line], promo=promo(value=D("50")), points=1000, points_balance=1000)

    assert pricing.lines[0].total == D("5100.00")
    assert pricing.lines[0].vat == D("919.67")
