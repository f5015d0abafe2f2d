"""Reads of the configurator: the catalogue's CCTV parts with their figures and stock in a region."""

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models.expressions import RawSQL

from catalog.availability import free_unit_rows, serving_warehouse_ids, statuses
from catalog.models import Product, ProductAttributeValue
from catalog.versions import PRICE_KEYS, shared_read
from configurator import kit as k
from configurator import shortlist as sh
from configurator.models import SavedConfiguration
from core.money import format_rub

# The catalogue attributes the configurator reads: slug, name, unit. The ones already in the catalogue
# (resolution, focal-length, ir-range, channels, hdd-bays, poe-ports) keep their names.
ROLE_ATTRIBUTE = "cctv-role"
ATTRIBUTES = [
    (ROLE_ATTRIBUTE, "Роль в видеонаблюдении", ""),
    ("cctv-family", "Семейство", ""),
    ("codec", "Кодек", ""),
    ("main-stream", "Основной поток", "Мбит/с"),
    ("sub-stream", "Дополнительный поток", "Мбит/с"),
    ("poe-class", "Класс PoE", ""),
    ("poe-watts", "Потребление PoE", "Вт"),
    ("outdoor", "Уличная", ""),
    ("incoming-bandwidth", "Входящий поток", "Мбит/с"),
    ("max-disk", "Максимальный объём диска", "ТБ"),
    ("poe-budget", "Бюджет PoE", "Вт"),
    ("poe-standard", "Стандарт портов PoE", ""),
    ("disk-capacity", "Объём диска", "ТБ"),
    ("surveillance", "Для видеонаблюдения", ""),
    ("uplink", "Uplink", ""),
    ("pack-size", "В упаковке", "м или шт."),
]
# What the role attribute says in the catalogue (as staff type it in the admin or a CSV) → the role.
ROLE_VALUES = {
    "камера": k.CAMERA,
    "регистратор": k.RECORDER,
    "диск": k.DISK,
    "коммутатор": k.SWITCH,
    "кабель": k.CABLE,
    "разъём": k.CONNECTOR,
    "монтажная коробка": k.BOX,
    "блок питания": k.POWER,
}
ROLE_WORDS = {role: word for word, role in ROLE_VALUES.items()}
READ = [slug for slug, _name, _unit in ATTRIBUTES] + [
    "resolution",
    "focal-length",
    "ir-range",
    "channels",
    "hdd-bays",
    "poe-ports",
]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
YES = {"да", "yes", "true", "1"}


@functools.lru_cache(maxsize=4096)
def _numbers(text: str) -> tuple[float, ...]:
    # The same few values («4», «802.3af», «2.8–12») repeat over thousands of parts: parse each once.
    return tuple(float(n.replace(",", ".")) for n in _NUMBER.findall(text))


def _num(values: dict, slug: str, default: float = 0) -> float:
    """The largest figure an attribute states («2.8–12» → 12, «нет» → the default)."""
    found = _numbers(values.get(slug) or "")
    return max(found) if found else default


@functools.lru_cache(maxsize=256)
def _families(text: str) -> frozenset[str]:
    return frozenset(part.strip().upper() for part in re.split(r"[,/;]", text or "") if part.strip())


@functools.lru_cache(maxsize=256)
def _poe_standard(text: str) -> str | None:
    text = (text or "").strip().lower().replace(" ", "")
    if not text or text in {"нет", "-"}:
        return None
    if "bt" in text:
        return "802.3bt-90" if "90" in text else "802.3bt"
    if "at" in text:
        return "802.3at"
    return "802.3af"


def part_from(row: dict, values: dict[str, str], role: str) -> k.Part:
    """A catalogue product and its attribute values as a part the engineering reads."""
    stated = _num(values, "main-stream") or None
    return k.Part(
        product_id=row["id"],
        sku=row["sku"],
        name=row["name"],
        price=Decimal(row["price"]),
        units=int(row["available_in_region"] or 0),
        role=role,
        families=_families(values.get("cctv-family", "")),
        resolution_mp=_num(values, "resolution"),
        lens_max_mm=_num(values, "focal-length"),
        codec=(values.get("codec") or "").strip().upper().replace("Н", "H"),
        main_mbps=stated,
        sub_mbps=_num(values, "sub-stream") or None,
        poe_class=_poe_standard(values.get("poe-class", "")),
        poe_w=_num(values, "poe-watts"),
        ir_m=_num(values, "ir-range"),
        outdoor=(values.get("outdoor") or "").strip().lower() in YES,
        channels=int(_num(values, "channels")),
        incoming_mbps=_num(values, "incoming-bandwidth"),
        bays=int(_num(values, "hdd-bays")),
        max_disk_tb=_num(values, "max-disk"),
        poe_ports=int(_num(values, "poe-ports")),
        poe_budget_w=_num(values, "poe-budget"),
        poe_standard=_poe_standard(values.get("poe-standard", "")),
        capacity_tb=_num(values, "disk-capacity"),
        pack=_num(values, "pack-size", 1) or 1,
        slug=row["slug"],
    )


FIGURES_KEY = "configurator:figures"
# The figures of every CCTV part are shared by all workers and retired by any catalogue or product edit (the
# stamps every price shown depends on); stock is read live on every request. Buys the reading and parsing
# of every part's attributes (most of a configuration's time on a large catalogue); never staler than an edit.
FIGURES_FRESH_SECONDS = 15 * 60
FIGURES_KEEP_SECONDS = 24 * 60 * 60


def _figures_build() -> sh.Figures:
    """Every product on sale that has a CCTV role, with its figures: two queries narrowed by the indexed role."""
    products = Product.objects.filter(
        is_active=True,
        is_service=False,
        attribute_values__attribute__slug=ROLE_ATTRIBUTE,
        attribute_values__value__in=list(ROLE_VALUES),
    ).values("id", "sku", "name", "price", "slug")
    rows = {row["id"]: row for row in products.order_by("price", "pk")}
    values: dict[int, dict[str, str]] = {pk: {} for pk in rows}
    attribute_rows = ProductAttributeValue.objects.filter(product_id__in=list(rows), attribute__slug__in=READ)
    for product_id, slug, value in attribute_rows.values_list("product_id", "attribute__slug", "value"):
        values[product_id][slug] = value
    parts = []
    for pk, row in rows.items():
        role = ROLE_VALUES.get(values[pk].get(ROLE_ATTRIBUTE, "").strip().lower())
        if role:
            parts.append(part_from({**row, "available_in_region": 0}, values[pk], role))
    return sh.Figures.of(parts)


def figures() -> sh.Figures:
    """The shared figures of every CCTV part, grouped for narrowing (two queries when rebuilt)."""
    return shared_read(
        FIGURES_KEY,
        stamp_keys=PRICE_KEYS,
        build=_figures_build,
        fresh_seconds=FIGURES_FRESH_SECONDS,
        keep_seconds=FIGURES_KEEP_SECONDS,
    )


def _id_list(ids: list[int]):
    """Product ids for an `IN`: on PostgreSQL one array parameter (Django binds a list one parameter per id,
    which cost 40 ms for 500 ids against 13 ms as an array on the bench machine)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return ids


def _units_reader(warehouse_ids: list[int]):
    """Units free to sell of given products in those warehouses, as the availability policy counts them."""

    def units_of(product_ids: list[int]) -> dict[int, int]:
        units: dict[int, int] = defaultdict(int)
        if product_ids:
            for product_id, count in free_unit_rows(warehouse_ids=warehouse_ids, product_ids=_id_list(product_ids)):
                units[product_id] += count
        return units

    return units_of


def parts_for_region(
    *, requirement: k.Requirement, overrides: k.Overrides, region_id: int | None, shared: sh.Figures | None = None
) -> dict[str, list[k.Part]]:
    """The parts the kit for these answers could be made of, by role, with their units free in the region.

    Candidates are narrowed on the shared figures first (`configurator.shortlist`); stock is read only for
    them: the region's warehouses, the units of the cameras and the other parts, then, once the cameras are
    chosen, of the recorders worth trying with them (one more query only when the first few cameras of a zone
    lack the units). The figures come from the shared read, two more queries when it is rebuilt.
    """
    shared = shared or figures()
    units_of = _units_reader(serving_warehouse_ids(region_id=region_id))
    return sh.parts_for(requirement, overrides, shared, units_of)


def saved_configuration(*, token: str) -> SavedConfiguration | None:
    """A saved configuration by its link's token."""
    return SavedConfiguration.objects.filter(token=token).first()


@dataclass
class Candidate:
    part: k.Part
    label: str


@dataclass
class Result:
    selection: k.Selection
    baseline: k.Kit | None  # the configurator's own kit, when the customer swapped parts in
    broken: list = field(default_factory=list)  # checks the swap turned red
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    unknown: dict[str, str] = field(default_factory=dict)  # swap field → why the chosen product cannot be used

    @property
    def kit(self) -> k.Kit | None:
        return self.selection.kit


def _stock_label(part: k.Part) -> str:
    """What a swap list says of a part's stock in the region, in the words of the availability policy."""
    [status] = statuses([part.units], [None], [False])
    if part.units <= 0:
        return "нет в вашем регионе"
    return f"{status.label.lower()}, {part.units} шт. в вашем регионе"


# A swap list shows the cheapest parts of each role, and always the ones in the kit: enough to choose from
# without rendering thousands of options.
CANDIDATES_SHOWN = 40


def _candidates(parts: dict[str, list[k.Part]], family: str, kit: k.Kit | None) -> dict[str, list[Candidate]]:
    wanted = {k.IP} if family == "ip" else k.ANALOG
    in_kit = {line.part.product_id for line in kit.lines} if kit else set()
    result = {}
    for role in (k.CAMERA, k.RECORDER, k.DISK, k.SWITCH):
        fitting = [p for p in parts[role] if role in (k.DISK, k.SWITCH) or p.families & wanted]
        fitting.sort(key=lambda p: (p.price, p.product_id))
        shown = fitting[:CANDIDATES_SHOWN] + [p for p in fitting[CANDIDATES_SHOWN:] if p.product_id in in_kit]
        result[role] = [Candidate(p, f"{p.name} — {format_rub(p.price)}, {_stock_label(p)}") for p in shown]
    return result


def _unknown_swaps(overrides: k.Overrides, shared: sh.Figures) -> dict[str, str]:
    chosen = [(f"cam{i}", k.CAMERA, pid) for i, pid in overrides.cameras.items()]
    chosen += [("recorder", k.RECORDER, overrides.recorder), ("disk", k.DISK, overrides.disk)]
    chosen += [("switch", k.SWITCH, overrides.switch)]
    return {
        name: f"Этот товар не подходит на роль «{k.ROLE_LABELS[role]}»: выберите из списка"
        for name, role, pid in chosen
        if pid and shared.of_role(pid, role) is None
    }


def configuration_result(*, requirement: k.Requirement, overrides: k.Overrides, region_id: int | None) -> Result:
    """The configurator's kit for the answers, and the customer's own when they swapped parts in."""
    shared = figures()
    parts = parts_for_region(requirement=requirement, overrides=overrides, region_id=region_id, shared=shared)
    unknown = _unknown_swaps(overrides, shared)
    baseline = k.kit_select(requirement, parts)
    result = Result(baseline, None, unknown=unknown)
    if overrides.any() and not unknown:
        swapped = k.kit_select(requirement, parts, overrides)
        result.selection, result.baseline = swapped, baseline.kit
        if swapped.kit is not None:
            result.broken = k.broken_by_swap(baseline.kit, swapped.kit)
    result.candidates = _candidates(parts, requirement.family, result.kit)
    return result
