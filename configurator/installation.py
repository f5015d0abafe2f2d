"""The installation request (БП-7) filled in from a configuration: the object, its zones, the equipment."""

from django.http import QueryDict
from django.urls import reverse

from configurator import kit as k

# The configurator's zones that the installation form knows as special zones.
SPECIAL_ZONES = {"Вход": "entrance", "Периметр": "perimeter", "Парковка": "parking", "Склад": "storage", "Двор": "yard"}
EQUIPMENT_LIMIT = 255


def equipment_text(kit: k.Kit, saved=None) -> str:
    """The kit in one line for the request's «Что уже куплено», cut to the field's length."""
    head = f"Конфигурация {saved.token}" if saved else "Из конфигуратора"
    parts = [f"{line.part.sku} × {line.quantity}" for line in kit.lines]
    text = f"{head}: {', '.join(parts)}"
    return text if len(text) <= EQUIPMENT_LIMIT else text[: EQUIPMENT_LIMIT - 1] + "…"


def installation_url(*, form, kit: k.Kit, saved=None) -> str:
    """The installation form's address with the object and the equipment of this configuration filled in."""
    data = form.cleaned_data
    query = QueryDict(mutable=True)
    query["region"] = data["region"].pk
    if data.get("object_type"):
        query["object_type"] = data["object_type"].pk
    query["area_m2"] = data.get("area_m2") or ""
    query["floors"] = data.get("floors") or 1
    query["goals"] = "video"
    zones = {SPECIAL_ZONES[z.zone.name] for z in kit.zones if z.zone.name in SPECIAL_ZONES}
    query.setlist("special_zones", sorted(zones))
    if data.get("remote"):
        query["has_internet"] = "on"
    if data.get("has_network"):
        query["has_lan"] = "on"
    query["equipment"] = "own"
    query["own_equipment"] = equipment_text(kit, saved)
    return f"{reverse('service:installation_new')}?{query.urlencode()}"
