"""Choose the cheapest kit that passes every check, from parts already narrowed to the ones that could fit.

Pure: parts come in as `Part` values (read by `configurator.selectors`), the kit goes out as a `Kit`.
Storage and PoE are chosen per recorder independently (disks depend only on the recorder's bays, switches
only on its ports), so the work grows with recorders × (disks + switches), never with their product.
Ties are broken by product id, so the same input gives the same kit.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from configurator import engineering as eng
from configurator.parts import (
    ANALOG,
    BOX,
    CABLE,
    CAMERA,
    CONNECTOR,
    CONNECTORS_PER_CAMERA,
    DETAIL_MIN_MP,
    DISK,
    FACES,
    FAMILY_LABELS,
    IP,
    NO_KIT,
    OVERVIEW,
    PLATES,
    PLATES_MIN_LENS_MM,
    POWER,
    RECORDER,
    ROLE_LABELS,
    ROLES,
    SWITCH,
    Kit,
    KitLine,
    Overrides,
    Part,
    Requirement,
    Selection,
    Zone,
    ZoneCameras,
)

# The parts' types are part of this module's interface: callers read `kit.Part`, `kit.CAMERA`.
__all__ = [
    "ANALOG",
    "BOX",
    "CABLE",
    "CAMERA",
    "CONNECTOR",
    "CONNECTORS_PER_CAMERA",
    "DETAIL_MIN_MP",
    "DISK",
    "FACES",
    "FAMILY_LABELS",
    "IP",
    "NO_KIT",
    "OVERVIEW",
    "PLATES",
    "PLATES_MIN_LENS_MM",
    "POWER",
    "RECORDER",
    "ROLES",
    "ROLE_LABELS",
    "SWITCH",
    "Kit",
    "KitLine",
    "Overrides",
    "Part",
    "Requirement",
    "Selection",
    "Zone",
    "ZoneCameras",
    "broken_by_swap",
    "kit_select",
]

# --- Cameras ---------------------------------------------------------------------------------


def camera_fits(camera: Part, zone: Zone, family: str) -> bool:
    """Whether a camera serves a zone: its family, resolution, lens, night range and housing."""
    if family == "ip" and IP not in camera.families:
        return False
    if family == "analog" and not camera.families & ANALOG:
        return False
    if camera.resolution_mp < DETAIL_MIN_MP[zone.detail]:
        return False
    if zone.detail == PLATES and camera.lens_max_mm < PLATES_MIN_LENS_MM:
        return False
    return camera.ir_m >= zone.night_m and (camera.outdoor or not zone.outdoor)


def zone_wants(zone: Zone, family: str) -> str:
    """What a zone's camera must be, in words, for a zone nothing in stock serves."""
    wants = [FAMILY_LABELS[family], f"от {DETAIL_MIN_MP[zone.detail]} Мп"]
    if zone.detail == PLATES:
        wants.append(f"объектив от {PLATES_MIN_LENS_MM} мм")
    if zone.night_m:
        wants.append(f"ИК-подсветка от {zone.night_m} м")
    if zone.outdoor:
        wants.append("уличная")
    return ", ".join(wants)


def _by_price(parts):
    return sorted(parts, key=lambda p: (p.price, p.product_id))


def cameras_choose(
    requirement: Requirement, cameras: Sequence[Part], forced: dict[int, Part]
) -> tuple[list[ZoneCameras], str]:
    """The cheapest fitting camera in stock for each zone (stock shared between zones), or why there is none."""
    taken: dict[int, int] = {}
    chosen = []
    for index, zone in enumerate(requirement.zones):
        if zone.cameras <= 0:
            continue
        camera = forced.get(index)
        if camera is None:
            camera = next(
                (
                    c
                    for c in _by_price(cameras)
                    if camera_fits(c, zone, requirement.family) and c.units - taken.get(c.product_id, 0) >= zone.cameras
                ),
                None,
            )
        if camera is None:
            return [], f"Для зоны «{zone.name}» нет камеры в наличии: нужна {zone_wants(zone, requirement.family)}."
        taken[camera.product_id] = taken.get(camera.product_id, 0) + zone.cameras
        chosen.append(ZoneCameras(zone, index, camera))
    if not chosen:
        return [], "Укажите хотя бы одну камеру в какой-нибудь зоне."
    return chosen, ""


# --- Storage and power per recorder ----------------------------------------------------------


@dataclass
class _Storage:
    disk: Part | None
    count: int
    raid: str
    checks: list[eng.Check]
    days: float

    @property
    def price(self) -> Decimal:
        return self.disk.price * self.count if self.disk else Decimal(0)


def _raid_options(requirement: Requirement, bays: int) -> list[tuple[str, int]]:
    if requirement.reliable:
        options = [(eng.Raid.MIRROR, 2)] if bays >= 2 else []
        return options + [(eng.Raid.STRIPED_MIRROR, n) for n in range(4, bays + 1, 2)]
    return [(eng.Raid.NONE, n) for n in range(1, max(bays, 1) + 1)]


def storage_choose(requirement: Requirement, recorder: Part, disks: Sequence[Part], streams: list[float]) -> _Storage:
    """The cheapest disks that hold the archive in the recorder's bays; the least failing when none do."""
    best: tuple | None = None
    options = _raid_options(requirement, recorder.bays) or [
        (eng.Raid.MIRROR if requirement.reliable else eng.Raid.NONE, 2 if requirement.reliable else 1)
    ]
    for disk in _by_price(disks):
        for raid, count in options:
            checks = [
                eng.archive_check(
                    disk_tb=disk.capacity_tb,
                    disk_count=count,
                    raid=raid,
                    main_streams_mbps=streams,
                    recorded_share=requirement.recorded_share,
                    days_needed=requirement.days_needed,
                ),
                eng.disks_check(
                    disk_count=count,
                    disk_tb=disk.capacity_tb,
                    bays=recorder.bays,
                    max_disk_tb=recorder.max_disk_tb,
                    raid=raid,
                ),
            ]
            fails = sum(not c.ok for c in checks) + (disk.units < count)
            usable = eng.usable_bytes(disk_tb=disk.capacity_tb, count=count, raid=raid)
            days = eng.archive_days(usable=usable, main_streams_mbps=streams, recorded_share=requirement.recorded_share)
            # Among failing options the one holding the longest archive is the nearest to working.
            key = (fails, disk.price * count if fails == 0 else -days, disk.product_id, count)
            if best is None or key < best[0]:
                best = (key, _Storage(disk, count, raid, checks, days))
    if best is None:
        check = eng.Check("archive", False, "Архив: дисков нет", "В вашем регионе нет дисков для видеонаблюдения.")
        return _Storage(None, 0, eng.Raid.NONE, [check], 0.0)
    return best[1]


@dataclass
class _Power:
    switch: Part | None
    count: int
    checks: list[eng.Check]
    draw_w: float

    @property
    def price(self) -> Decimal:
        return self.switch.price * self.count if self.switch else Decimal(0)


def _poe_source_checks(loads, *, budget_w, standard, source) -> eng.Check:
    return eng.poe_check(loads=loads, budget_w=budget_w, standard=standard, source=source)


def power_choose(recorder: Part, switches: Sequence[Part], loads: list[eng.CameraLoad]) -> _Power:
    """Recorder ports first, then the cheapest PoE switches that carry the rest within their budget."""
    powered = [load for load in loads if load.poe_class]
    draw = sum(load.poe_w for load in powered)
    if not powered:
        return _Power(None, 0, [], 0.0)
    on_recorder = min(recorder.poe_ports, len(powered))
    checks = []
    if on_recorder:
        checks.append(
            _poe_source_checks(
                powered[:on_recorder],
                budget_w=recorder.poe_budget_w,
                standard=recorder.poe_standard,
                source="регистратор",
            )
        )
    rest = powered[on_recorder:]
    if not rest:
        return _Power(None, 0, checks, draw)
    best: tuple | None = None
    for switch in _by_price(switches):
        count = eng.ports_needed(cameras=len(rest), ports_per_switch=switch.poe_ports)
        if not count:
            continue
        groups = eng.split_loads(rest, [switch.poe_ports] * count)
        switch_checks = [
            _poe_source_checks(group, budget_w=switch.poe_budget_w, standard=switch.poe_standard, source="коммутатор")
            for group in groups
        ]
        worst = next((c for c in switch_checks if not c.ok), switch_checks[0])
        fails = sum(not c.ok for c in switch_checks) + (switch.units < count)
        key = (fails, switch.price * count, switch.product_id)
        if best is None or key < best[0]:
            best = (key, _Power(switch, count, [*checks, worst], draw))
    if best is None:
        missing = eng.Check(
            "poe",
            False,
            f"PoE: {len(rest)} камер без порта",
            "У регистратора не хватает портов PoE, а коммутатора PoE в наличии нет.",
        )
        return _Power(None, 0, [*checks, missing], draw)
    return best[1]


# --- Consumables -----------------------------------------------------------------------------


def _cheapest_packs(parts: Sequence[Part], amount: float) -> tuple[Part, int] | None:
    options = [(p, eng.packs_needed(amount=amount, per_pack=p.pack or 1)) for p in parts]
    options = [(p, n) for p, n in options if n and p.units >= n] or [(p, n) for p, n in options if n]
    if not options:
        return None
    return min(options, key=lambda pn: (pn[0].price * pn[1], pn[0].product_id))


def consumables_choose(
    requirement: Requirement, zones: list[ZoneCameras], parts: dict[str, list[Part]]
) -> list[KitLine]:
    """Cable by the metre per camera, connectors at both ends, a mounting box for each outdoor camera, and power
    supplies for the cameras that take no PoE (HD-TVI/AHD cameras are powered over the cable's own pair)."""
    cams = requirement.camera_count

    def of_family(role):
        if requirement.family == "ip":
            return [p for p in parts.get(role, []) if IP in p.families]
        return [p for p in parts.get(role, []) if p.families & ANALOG]

    lines = []
    cable = _cheapest_packs(of_family(CABLE), cams * requirement.cable_run_m)
    if cable:
        lines.append(KitLine(CABLE, cable[0], cable[1], f"{cams} × {requirement.cable_run_m} м"))
    connectors = _cheapest_packs(of_family(CONNECTOR), cams * CONNECTORS_PER_CAMERA)
    if connectors:
        lines.append(KitLine(CONNECTOR, connectors[0], connectors[1], f"{cams * CONNECTORS_PER_CAMERA} шт."))
    outdoor = sum(z.zone.cameras for z in zones if z.zone.outdoor)
    box = _cheapest_packs(parts.get(BOX, []), outdoor)
    if box:
        lines.append(KitLine(BOX, box[0], box[1], "для уличных камер"))
    unpowered = sum(z.zone.cameras for z in zones if not z.camera.poe_class)
    power = _cheapest_packs(parts.get(POWER, []), unpowered)
    if power:
        lines.append(KitLine(POWER, power[0], power[1], f"для {unpowered} камер без PoE"))
    return lines


# --- The kit ---------------------------------------------------------------------------------


def _loads(zones: list[ZoneCameras]) -> list[eng.CameraLoad]:
    return [z.camera.load() for z in zones for _ in range(z.zone.cameras)]


def kit_build(
    requirement: Requirement,
    zones: list[ZoneCameras],
    recorder: Part,
    storage: _Storage,
    power: _Power,
    parts,
    consumables: list[KitLine] | None = None,
) -> Kit:
    """Put the chosen parts together and run every check on them (`consumables` when already chosen)."""
    loads = _loads(zones)
    label = FAMILY_LABELS[requirement.family]
    checks = [
        zones_check(zones, requirement.family),
        eng.family_check(
            family_label=label, camera_families=[z.camera.families for z in zones], recorder_families=recorder.families
        ),
        eng.channels_check(cameras=len(loads), channels=recorder.channels),
        eng.bandwidth_check(loads=loads, incoming_mbps=recorder.incoming_mbps),
        eng.resolution_check(loads=loads, recorder_max_mp=recorder.resolution_mp),
        *storage.checks,
        *power.checks,
    ]
    lines = [KitLine(CAMERA, z.camera, z.zone.cameras, z.zone.name) for z in zones]
    lines.append(KitLine(RECORDER, recorder, 1))
    if storage.disk:
        lines.append(KitLine(DISK, storage.disk, storage.count, eng.RAID_LABELS[storage.raid]))
    if power.switch:
        lines.append(KitLine(SWITCH, power.switch, power.count))
    lines.extend(consumables_choose(requirement, zones, parts) if consumables is None else consumables)
    merged: dict[int, KitLine] = {}
    for line in lines:
        if line.part.product_id in merged:
            merged[line.part.product_id].quantity += line.quantity
            merged[line.part.product_id].note += f", {line.note}"
        else:
            merged[line.part.product_id] = KitLine(line.role, line.part, line.quantity, line.note)
    short = [
        f"{line.part.name} — нужно {line.quantity}, есть {max(line.part.units, 0)}"
        for line in merged.values()
        if line.quantity > line.part.units
    ]
    checks.append(eng.stock_check(missing=short))
    return Kit(
        lines=list(merged.values()),
        checks=checks,
        zones=zones,
        raid=storage.raid,
        disk_count=storage.count,
        switch_count=power.count,
        archive_days=storage.days,
        stream_mbps=sum(load.main_mbps + load.sub_mbps for load in loads),
        poe_w=power.draw_w,
    )


def zones_check(zones: list[ZoneCameras], family: str) -> eng.Check:
    """Every zone's camera gives the detail, night range and housing the zone asks for."""
    for z in zones:
        if not camera_fits(z.camera, z.zone, family):
            return eng.Check(
                "cameras",
                False,
                f"Камеры: для зоны «{z.zone.name}» камера не подходит",
                f"Нужна камера: {zone_wants(z.zone, family)}.",
            )
    return eng.Check("cameras", True, "Камеры подходят каждой зоне: разрешение, объектив, подсветка, корпус")


def recorder_fits(recorder: Part, requirement: Requirement) -> bool:
    """Recorders worth trying: of the kit's family, with a channel for every camera."""
    wanted = {IP} if requirement.family == "ip" else ANALOG
    return bool(recorder.families & wanted) and recorder.channels >= requirement.camera_count


def kit_select(requirement: Requirement, parts: dict[str, list[Part]], overrides: Overrides | None = None) -> Selection:
    """The cheapest kit of parts in stock that passes every check; with overrides, the customer's parts kept."""
    overrides = overrides or Overrides()
    by_id = {p.product_id: p for role_parts in parts.values() for p in role_parts}

    def forced(product_id, role):
        part = by_id.get(product_id) if product_id else None
        return part if part and part.role == role else None

    in_stock = {role: [p for p in role_parts if p.units > 0] for role, role_parts in parts.items()}
    forced_cameras = {i: p for i, pid in overrides.cameras.items() if (p := forced(pid, CAMERA))}
    zones, problem = cameras_choose(requirement, in_stock.get(CAMERA, []), forced_cameras)
    if problem:
        return Selection(None, problem)
    loads = _loads(zones)
    streams = [load.main_mbps for load in loads]
    recorder = forced(overrides.recorder, RECORDER)
    recorders = [recorder] if recorder else [r for r in in_stock.get(RECORDER, []) if recorder_fits(r, requirement)]
    if not recorders:
        family = FAMILY_LABELS[requirement.family]
        return Selection(None, f"Нет регистратора {family} в наличии на {requirement.camera_count} каналов.")
    disk = forced(overrides.disk, DISK)
    disks = [disk] if disk else in_stock.get(DISK, [])
    switch = forced(overrides.switch, SWITCH)
    switches = [switch] if switch else in_stock.get(SWITCH, [])
    best: tuple | None = None
    cheapest_disk = min((d.price for d in disks), default=Decimal(0))
    # Cameras and consumables are the same whatever the recorder: what every kit costs at the least.
    common = sum((z.camera.price * z.zone.cameras for z in zones), Decimal(0))
    consumables = consumables_choose(requirement, zones, in_stock)
    common += sum((line.total for line in consumables), Decimal(0))
    # Disks depend only on a recorder's bays and largest disk, switches only on its PoE ports: recorders that
    # share them share the choice.
    storages: dict[tuple, _Storage] = {}
    powers: dict[tuple, _Power] = {}
    for candidate in _by_price(recorders):
        # Recorders come cheapest first: once a passing kit costs no more than this recorder and the cheapest
        # disk, no later recorder can give a cheaper one, so the rest are never built.
        if best is not None and best[0][0] == 0 and common + candidate.price + cheapest_disk >= best[0][1]:
            break
        bays = (candidate.bays, candidate.max_disk_tb)
        if bays not in storages:
            storages[bays] = storage_choose(requirement, candidate, disks, streams)
        ports = (candidate.poe_ports, candidate.poe_budget_w, candidate.poe_standard)
        if ports not in powers:
            powers[ports] = power_choose(candidate, switches, loads)
        kit = kit_build(requirement, zones, candidate, storages[bays], powers[ports], in_stock, [*consumables])
        key = (len(kit.failures), kit.total, candidate.product_id)
        if best is None or key < best[0]:
            best = (key, kit)
    kit = best[1]
    if not kit.ok and not overrides.any():
        return Selection(kit, NO_KIT)
    return Selection(kit)


def broken_by_swap(baseline: Kit | None, kit: Kit) -> list[eng.Check]:
    """The checks a swap turned red: passing in the configurator's kit, failing in the customer's."""
    if baseline is None:
        return []
    passed = {check.code for check in baseline.checks if check.ok}
    return [check for check in kit.failures if check.code in passed]


def archive_figure(kit: Kit) -> float:
    return math.floor(kit.archive_days) if kit.archive_days != math.inf else 0
