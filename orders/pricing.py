"""The one pricing function of a checkout: cart, promo, points and delivery into lines and totals.

Pure: Decimal in, Decimal out, no database. Every amount is rounded to kopecks by `core.money.to_kopecks`,
per line, and a document's VAT is the sum of its lines' VAT (`core.vat`).
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from core.money import format_rub, to_kopecks
from core.text import plural
from core.vat import DEFAULT_RATE, DELIVERY_RATE, vat_amount

ZERO = Decimal("0.00")
POINTS_CAP_SHARE = Decimal("0.30")

PROMO_MIN_ORDER = "Минимальная сумма заказа {amount}"
PROMO_NOT_IN_CART = "Промокод не действует на товары в корзине"
POINTS_OVER_BALANCE = "На счёте только {balance}"
POINTS_OVER_CAP = "Баллами можно оплатить не больше {cap} (30% стоимости товаров)"
POINTS_OVER_TOTAL = "Баллами нельзя оплатить больше стоимости товаров"
POINTS_NOT_WITH_PROMO = "Промокод {code} нельзя сочетать с оплатой баллами"


class PromoKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


@dataclass(frozen=True)
class PriceLine:
    """A cart line as pricing sees it."""

    key: int
    name: str
    price: Decimal
    quantity: int
    vat_rate: str = DEFAULT_RATE
    category_id: int | None = None
    brand_id: int | None = None

    @property
    def gross(self) -> Decimal:
        return to_kopecks(self.price * self.quantity)


@dataclass(frozen=True)
class PromoTerms:
    """What a promo code grants, once its dates and use limits have been checked against the database."""

    code: str
    kind: PromoKind
    value: Decimal
    min_order: Decimal = ZERO
    category_ids: frozenset[int] = frozenset()
    brand_ids: frozenset[int] = frozenset()
    product_ids: frozenset[int] = frozenset()
    combines_with_points: bool = True

    @property
    def scoped(self) -> bool:
        return bool(self.category_ids or self.brand_ids or self.product_ids)

    def applies_to(self, line: PriceLine) -> bool:
        if not self.scoped:
            return True
        return (
            line.key in self.product_ids
            or (line.category_id is not None and line.category_id in self.category_ids)
            or (line.brand_id is not None and line.brand_id in self.brand_ids)
        )


@dataclass(frozen=True)
class DeliveryTerms:
    """A delivery method's price for this parcel before the free-delivery threshold."""

    cost: Decimal
    free_from: Decimal | None = None
    vat_rate: str = DELIVERY_RATE


@dataclass(frozen=True)
class PricedLine:
    key: int
    name: str
    quantity: int
    price: Decimal
    gross: Decimal
    discount: Decimal
    points: Decimal
    total: Decimal
    vat_rate: str
    vat: Decimal


@dataclass
class Pricing:
    lines: list[PricedLine]
    goods: Decimal
    discount: Decimal
    points: int
    points_cap: int
    delivery: Decimal
    delivery_vat: Decimal
    total: Decimal
    vat: Decimal
    earns: int
    promo_error: str | None = None
    points_error: str | None = None
    errors: list[str] = field(default_factory=list)


def _spread(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split an amount over lines in proportion to their weights, in kopecks, summing exactly to it."""
    base = sum(weights, ZERO)
    if not base or not amount:
        return [ZERO for _ in weights]
    shares = [(amount * w / base).quantize(Decimal("0.01"), rounding=ROUND_DOWN) for w in weights]
    left = int((amount - sum(shares, ZERO)) * 100)
    # The kopecks lost to rounding down go to the largest lines first, so the result is stable.
    order = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
    for i in order[:left]:
        shares[i] += Decimal("0.01")
    return shares


def points_cap(goods_after_discount: Decimal) -> int:
    """At most 30% of the goods' sum may be paid with points, 1 point = 1 ₽, whole points only."""
    return int((goods_after_discount * POINTS_CAP_SHARE).to_integral_value(rounding=ROUND_DOWN))


def _promo_discount(promo: PromoTerms, lines: list[PriceLine], goods: Decimal) -> tuple[list[Decimal], str | None]:
    if goods < promo.min_order:
        return [ZERO] * len(lines), PROMO_MIN_ORDER.format(amount=format_rub(promo.min_order))
    weights = [line.gross if promo.applies_to(line) else ZERO for line in lines]
    eligible = sum(weights, ZERO)
    if not eligible:
        return [ZERO] * len(lines), PROMO_NOT_IN_CART
    amount = to_kopecks(eligible * promo.value / 100) if promo.kind == PromoKind.PERCENT else to_kopecks(promo.value)
    return _spread(min(amount, eligible), weights), None


def price_checkout(
    *,
    lines: list[PriceLine],
    promo: PromoTerms | None = None,
    points: int = 0,
    points_balance: int = 0,
    delivery: DeliveryTerms | None = None,
    earn_percent: Decimal = Decimal("5"),
) -> Pricing:
    """Price a checkout: goods, the promo discount spread over its lines, points, delivery, VAT per line."""
    goods = sum((line.gross for line in lines), ZERO)
    discounts = [ZERO] * len(lines)
    promo_error = None
    if promo is not None:
        discounts, promo_error = _promo_discount(promo, lines, goods)
    discount = sum(discounts, ZERO)
    after_discount = goods - discount
    cap = points_cap(after_discount)

    points_error = None
    if points < 0:
        points_error = POINTS_OVER_TOTAL
    elif points and promo is not None and promo_error is None and not promo.combines_with_points:
        points_error = POINTS_NOT_WITH_PROMO.format(code=promo.code)
    elif points > points_balance:
        points_error = POINTS_OVER_BALANCE.format(balance=plural(points_balance, "балл", "балла", "баллов"))
    elif points > after_discount:
        points_error = POINTS_OVER_TOTAL
    elif points > cap:
        points_error = POINTS_OVER_CAP.format(cap=format_rub(cap))
    used_points = 0 if points_error else points
    point_shares = _spread(Decimal(used_points), [line.gross - d for line, d in zip(lines, discounts, strict=True)])

    priced = []
    for line, line_discount, line_points in zip(lines, discounts, point_shares, strict=True):
        total = line.gross - line_discount - line_points
        priced.append(
            PricedLine(
                key=line.key,
                name=line.name,
                quantity=line.quantity,
                price=line.price,
                gross=line.gross,
                discount=line_discount,
                points=line_points,
                total=total,
                vat_rate=line.vat_rate,
                vat=vat_amount(total, line.vat_rate),
            )
        )

    delivery_cost = ZERO
    delivery_vat = ZERO
    if delivery is not None:
        free = delivery.free_from is not None and after_discount >= delivery.free_from
        delivery_cost = ZERO if free else to_kopecks(delivery.cost)
        delivery_vat = vat_amount(delivery_cost, delivery.vat_rate)

    paid_in_money = after_discount - used_points
    earns = int((paid_in_money * earn_percent / 100).to_integral_value(rounding=ROUND_DOWN))
    return Pricing(
        lines=priced,
        goods=goods,
        discount=discount,
        points=used_points,
        points_cap=cap,
        delivery=delivery_cost,
        delivery_vat=delivery_vat,
        total=paid_in_money + delivery_cost,
        vat=sum((line.vat for line in priced), ZERO) + delivery_vat,
        earns=max(earns, 0),
        promo_error=promo_error,
        points_error=points_error,
        errors=[e for e in (promo_error, points_error) if e],
    )


# --- Returns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SoldLine:
    """An order line as it was sold, and how many of its units come back now and came back before."""

    key: int
    quantity: int
    total: Decimal
    points: Decimal
    returned: int
    returned_before: int = 0


@dataclass(frozen=True)
class ReturnedLine:
    key: int
    quantity: int
    amount: Decimal
    points: Decimal


@dataclass
class ReturnPricing:
    lines: list[ReturnedLine]
    goods: Decimal
    delivery: Decimal
    amount: Decimal
    points: int
    revoke: int


def _part(whole: Decimal, units: int, of: int) -> Decimal:
    """The share of `whole` for `units` of `of`, in kopecks; all units take exactly the whole."""
    if units >= of:
        return to_kopecks(whole)
    return to_kopecks(Decimal(whole) * units / of)


def price_return(*, lines: list[SoldLine], delivery_cost: Decimal, earns: int) -> ReturnPricing:
    """Money, points and delivery given back for returned units, with their share of discounts and points.

    Every share is the difference of two cumulative shares (all returned so far minus returned before), so
    returning an order in several parts gives back exactly what returning it at once would.
    """
    all_goods = sum((line.total for line in lines), ZERO)
    before_goods = ZERO
    after_goods = ZERO
    returned = []
    points_back = ZERO
    for line in lines:
        upto = min(line.returned_before + line.returned, line.quantity)
        before = min(line.returned_before, line.quantity)
        amount = _part(line.total, upto, line.quantity) - _part(line.total, before, line.quantity)
        points = _part(line.points, upto, line.quantity) - _part(line.points, before, line.quantity)
        before_goods += _part(line.total, before, line.quantity)
        after_goods += _part(line.total, upto, line.quantity)
        if upto > before:
            returned.append(ReturnedLine(key=line.key, quantity=upto - before, amount=amount, points=points))
            points_back += points
    goods = after_goods - before_goods
    delivery = ZERO
    revoke = 0
    if all_goods:
        delivery = to_kopecks(delivery_cost * after_goods / all_goods) - to_kopecks(
            delivery_cost * before_goods / all_goods
        )
        revoke = int((earns * after_goods / all_goods).to_integral_value(rounding=ROUND_DOWN)) - int(
            (earns * before_goods / all_goods).to_integral_value(rounding=ROUND_DOWN)
        )
    return ReturnPricing(
        lines=returned,
        goods=goods,
        delivery=delivery,
        amount=goods + delivery,
        points=int(points_back.to_integral_value(rounding=ROUND_DOWN)),
        revoke=revoke,
    )
