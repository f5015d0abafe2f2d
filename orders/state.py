"""The checkout's state in the visitor's session, so it survives leaving the page and a reload."""

from django.http import HttpRequest, QueryDict

from core.models import Region
from orders.forms import STATE_FIELDS

SESSION_KEY = "checkout"
# The visitor's region, remembered for every page that asks for it.
REGION_SESSION_KEY = "region_id"
# What a session keeps of one field: enough for any real value; a 10 kB paste is cut, then refused.
FIELD_LIMIT = 600
DELIVERY_FIELDS = ("delivery", "pickup_point", "window")


def _from_profile(user) -> dict:
    if user is None or not user.is_authenticated:
        return {}
    state = {
        "full_name": " ".join(part for part in (user.last_name, user.first_name) if part),
        "email": user.email or "",
        "phone": user.phone or "",
    }
    if user.region_id:
        state["region"] = str(user.region_id)
    company = user.company if user.is_b2b else None
    if company is not None:
        state.update(
            company_name=company.name,
            inn=company.inn,
            kpp=company.kpp,
            legal_address=company.legal_address,
            contact_name=company.contact_name,
            email=company.contact_email or state["email"],
            phone=company.contact_phone or state["phone"],
        )
    return state


def checkout_state(request: HttpRequest) -> dict:
    """What the buyer gave so far, or what the profile and the remembered region suggest (the last courier
    address comes with the checkout's reads: `CheckoutInfo.last_address`)."""
    saved = request.session.get(SESSION_KEY)
    if saved is not None:
        return dict(saved)
    state = _from_profile(request.user)
    remembered = request.session.get(REGION_SESSION_KEY)
    if remembered:
        state["region"] = str(remembered)
    return state


def checkout_state_from_post(post: QueryDict, *, previous: dict) -> dict:
    """The posted fields, each cut to a sane length; a new region forgets the old region's delivery choice."""
    data = {name: str(post.get(name, ""))[:FIELD_LIMIT] for name in STATE_FIELDS}
    if data["region"] != previous.get("region", data["region"]):
        for name in DELIVERY_FIELDS:
            data[name] = ""
    return data


def checkout_state_save(request: HttpRequest, *, data: dict, region: Region | None) -> None:
    request.session[SESSION_KEY] = data
    if region is not None:
        request.session[REGION_SESSION_KEY] = region.pk
