"""One evaluation of the checkout: the form checked against the loaded CheckoutInfo, the promo code and the price."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from delivery.selectors import DeliveryOffer
from orders.forms import CheckoutForm, wants_company
from orders.pricing import ZERO, Pricing, PromoTerms
from orders.selectors import CheckoutInfo, checkout_price, promo_terms
from promotions.exceptions import PromoError
from promotions.selectors import customer_key, promo_check, promo_get

POINTS_FOR_CUSTOMERS = "Баллы можно использовать после входа в аккаунт"


@dataclass(frozen=True)
class OfferView:
    """A delivery offer as the page shows it: today's price for this cart and when the goods arrive."""

    offer: DeliveryOffer
    cost: Decimal
    date: datetime.date
    when: str

    @property
    def kind(self) -> str:
        return self.offer.kind


@dataclass
class CheckoutResult:
    form: CheckoutForm
    info: CheckoutInfo
    pricing: Pricing
    promo: PromoTerms | None
    is_company: bool

    @property
    def offer(self):
        return self.form.cleaned_data.get("delivery")

    @property
    def offers(self) -> list[OfferView]:
        goods = self.pricing.goods - self.pricing.discount
        return [
            OfferView(
                offer=offer,
                cost=ZERO if offer.free_from is not None and goods >= offer.free_from else offer.cost,
                date=self.info.expected_date(offer),
                when=self.info.expected_label(offer),
            )
            for offer in self.info.offers
        ]

    @property
    def ok(self) -> bool:
        return not self.form.errors and not (self.form.final and self.info.undeliverable)


def _promo(form: CheckoutForm, user) -> PromoTerms | None:
    code = form.cleaned_data.get("promo_code")
    if not code:
        return None
    data = form.cleaned_data
    key = customer_key(user=user, email=data.get("email") or "", phone=data.get("phone") or "")
    try:
        promo = promo_get(code=code)
        promo_check(promo=promo, customer_key=key)
    except PromoError as error:
        form.add_error("promo_code", error.message)
        return None
    return promo_terms(promo)


def checkout_evaluate(*, info: CheckoutInfo, data: dict, user, final: bool) -> CheckoutResult:
    """Check what the buyer gave and price it; every refusal lands beside its field."""
    authenticated = user is not None and user.is_authenticated
    # A company's buyer always buys for it; a guest may buy for an organisation by giving its details.
    is_company = bool(user.is_b2b) if authenticated else wants_company(data)
    form = CheckoutForm(data=data, info=info, is_company=is_company, final=final)
    form.is_valid()
    promo = _promo(form, user)
    points = form.cleaned_data.get("points") or 0
    if points and not authenticated:
        form.add_error("points", POINTS_FOR_CUSTOMERS)
        points = 0
    pricing = checkout_price(info=info, offer=form.cleaned_data.get("delivery"), promo=promo, points=points)
    if pricing.promo_error and "promo_code" not in form.errors:
        form.add_error("promo_code", pricing.promo_error)
        promo = None
    if pricing.points_error and "points" not in form.errors:
        form.add_error("points", pricing.points_error)
    return CheckoutResult(form=form, info=info, pricing=pricing, promo=promo, is_company=is_company)
