"""Narrow the catalogue's CCTV parts to the few that could be chosen, before any stock is read.

Pure: the figures come in as `Part` values grouped once per catalogue edit (`Figures`), the answers as a
`Requirement`; out go groups of candidates, cheapest first. Only the first few of each group have their stock
read; the rest of a group is read only when none of its first few has the units it needs (`starved`).

Why the few are enough, role by role (ties go to the lower product id, as in `kit`):
- a zone's camera is the cheapest fitting one with enough units left, so the first `CAMERAS_READ` fitting
  cameras serve it unless fewer than one per zone among them have the units (each earlier zone takes one);
- recorders are read once the cameras are chosen (`recorders_worth_reading`): the cheapest that could pass
  with those cameras (channels, stream, resolution, the archive on the largest disk in stock, PoE on their own
  ports), since kits are tried cheapest recorder first and stop once no dearer one can win; and a few of the
  cheapest with enough channels, from which the nearest kit is shown when none passes;
- disks, switches, cable, connectors and boxes with the same figures pass or fail the same checks,
  so of each set of equal figures (`spec`) only the cheapest with the units the kit needs can be chosen;
- each swap list shows the cheapest `SWAP_LIST` parts of its role, read whatever their stock.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from configurator import engineering as eng
from configurator.kit import camera_fits, cameras_choose
from configurator.parts import (
    ANALOG,
    BOX,
    CABLE,
    CAMERA,
    CONNECTOR,
    CONNECTORS_PER_CAMERA,
    DISK,
    IP,
    POWER,
    RECORDER,
    ROLES,
    SWITCH,
    Overrides,
    Part,
    Requirement,
)

CAMERAS_READ = 60  # fitting cameras per zone whose stock is read first
SPEC_READ = 3  # parts of equal figures (a disk of one capacity sold under several SKUs) read first
RECORDERS_READ = 24  # recorders that could pass with the kit's cameras, cheapest first
RECORDERS_NEAREST = 8  # the cheapest recorders of the family with enough channels, for the nearest failing kit
SWAP_LIST = 40  # parts shown in a swap list, cheapest first
SWAP_ROLES = (CAMERA, RECORDER, DISK, SWITCH)


def _price_order(part: Part) -> tuple:
    return (part.price, part.product_id)


def _spec(part: Part) -> tuple:
    """The figures a role's checks read: parts equal in them differ only in price and stock."""
    if part.role == RECORDER:
        return (
            part.families,
            part.channels,
            part.incoming_mbps,
            part.resolution_mp,
            part.bays,
            part.max_disk_tb,
            part.poe_ports,
            part.poe_budget_w,
            part.poe_standard,
        )
    if part.role == DISK:
        return (part.capacity_tb,)
    if part.role == SWITCH:
        return (part.poe_ports, part.poe_budget_w, part.poe_standard)
    return (part.families, part.pack)


def _of_family(part: Part, family: str) -> bool:
    return IP in part.families if family == "ip" else bool(part.families & ANALOG)


@dataclass
class Figures:
    """Every CCTV part on sale with its figures, grouped for narrowing: built once per catalogue edit."""

    by_id: dict[int, Part]
    by_role: dict[str, list[Part]]  # cheapest first
    cameras: dict[str, list[Part]]  # "ip" / "analog" → cameras of that family, cheapest first
    specs: dict[str, list[list[Part]]]  # role → parts of equal figures, cheapest first within each

    @classmethod
    def of(cls, parts: Iterable[Part]) -> "Figures":
        ordered = sorted(parts, key=_price_order)
        by_role: dict[str, list[Part]] = {role: [] for role in ROLES}
        for part in ordered:
            by_role[part.role].append(part)
        specs: dict[str, list[list[Part]]] = {}
        for role in ROLES:
            if role == CAMERA:
                continue
            grouped: dict[tuple, list[Part]] = {}
            for part in by_role[role]:
                grouped.setdefault(_spec(part), []).append(part)
            specs[role] = list(grouped.values())
        cameras = {family: [c for c in by_role[CAMERA] if _of_family(c, family)] for family in ("ip", "analog")}
        return cls({p.product_id: p for p in ordered}, by_role, cameras, specs)

    def of_role(self, product_id: int | None, role: str) -> Part | None:
        part = self.by_id.get(product_id) if product_id else None
        return part if part is not None and part.role == role else None


@dataclass
class Group:
    """Candidates for one choice, cheapest first: the `first` are read at once, the rest when starved."""

    first: list[Part]
    more: Callable[[], list[Part]] = list  # the rest of the group, walked only when needed
    need: int = 0  # units a part must have free in the region to serve; 0 never starves
    enough: int = 1  # parts with `need` units among the first that make the rest useless
    truncated: bool = False

    def starved(self, units: dict[int, int]) -> bool:
        if not self.need or not self.truncated:
            return False
        serving = sum(units.get(p.product_id, 0) >= self.need for p in self.first)
        return serving < self.enough


def _take(parts: Iterator[Part], count: int) -> tuple[list[Part], list[Part]]:
    taken = list(islice(parts, count + 1))
    return taken[:count], taken[count:]


def _zone_groups(requirement: Requirement, figures: Figures) -> list[Group]:
    zones = [zone for zone in requirement.zones if zone.cameras > 0]
    cameras = figures.cameras.get(requirement.family, [])
    groups = []
    for zone in zones:

        def fitting(zone=zone):
            return (c for c in cameras if camera_fits(c, zone, requirement.family))

        walk = fitting()
        first, extra = _take(walk, CAMERAS_READ)
        groups.append(
            Group(first, lambda walk=walk, extra=extra: extra + list(walk), zone.cameras, len(zones), bool(extra))
        )
    return groups


def _spec_groups(specs: list[list[Part]], keep: Callable[[Part], bool], need: Callable[[Part], int]) -> list[Group]:
    groups = []
    for parts in specs:
        if not keep(parts[0]):
            continue
        groups.append(
            Group(parts[:SPEC_READ], lambda parts=parts: parts[SPEC_READ:], need(parts[0]), 1, len(parts) > SPEC_READ)
        )
    return groups


def groups_for(requirement: Requirement, overrides: Overrides, figures: Figures) -> list[Group]:
    """Every group of candidates the kit for these answers, its swap lists and its swaps choose from."""
    family = requirement.family
    cams = requirement.camera_count
    groups = _zone_groups(requirement, figures)

    def recorder_fits(r: Part) -> bool:
        return _of_family(r, family) and r.channels >= cams

    bays = max((spec[0].bays for spec in figures.specs.get(RECORDER, []) if recorder_fits(spec[0])), default=1)
    groups += _spec_groups(figures.specs.get(DISK, []), lambda d: True, lambda d: max(bays, 1))
    groups += _spec_groups(
        figures.specs.get(SWITCH, []),
        lambda s: s.poe_ports > 0,
        lambda s: eng.ports_needed(cameras=cams, ports_per_switch=s.poe_ports),
    )
    outdoor = sum(zone.cameras for zone in requirement.zones if zone.outdoor)
    amounts = {
        CABLE: cams * requirement.cable_run_m,
        CONNECTOR: cams * CONNECTORS_PER_CAMERA,
        BOX: outdoor,
        POWER: cams,
    }
    for role, amount in amounts.items():
        groups += _spec_groups(
            figures.specs.get(role, []),
            lambda p, role=role: role in (BOX, POWER) or _of_family(p, family),
            lambda p, amount=amount: max(eng.packs_needed(amount=amount, per_pack=p.pack or 1), 1),
        )
    for role in SWAP_ROLES:
        listed = figures.cameras.get(family, []) if role == CAMERA else figures.by_role.get(role, [])
        if role == RECORDER:
            listed = (r for r in listed if _of_family(r, family))
        groups.append(Group(list(islice(listed, SWAP_LIST))))
    chosen = [*overrides.cameras.values(), overrides.recorder, overrides.disk, overrides.switch]
    groups.append(Group([figures.by_id[pid] for pid in chosen if pid in figures.by_id]))
    return groups


def parts_read(groups: list[Group], units_of: Callable[[list[int]], dict[int, int]]) -> dict[str, list[Part]]:
    """The groups' parts by role, cheapest first, each with its units free in the region.

    `units_of` reads the units of a list of product ids (one query): once for the first parts of every group,
    and once more only when a group is starved, for the rest of the starved groups.
    """
    read = {p.product_id: p for group in groups for p in group.first}
    units = units_of(sorted(read))
    starved = [group for group in groups if group.starved(units)]
    if starved:
        rest = {p.product_id: p for group in starved for p in group.more() if p.product_id not in read}
        units.update(units_of(sorted(rest)))
        read.update(rest)
    parts: dict[str, list[Part]] = {role: [] for role in ROLES}
    for part in sorted(read.values(), key=_price_order):
        free = units.get(part.product_id, 0)
        parts[part.role].append(part.in_region(free) if free else part)
    return parts


@dataclass(frozen=True)
class _Load:
    """What the chosen cameras ask of a recorder, summed once for the test of every recorder."""

    cameras: int
    families: tuple
    stream_mbps: float
    highest_mp: float
    powered: tuple  # the PoE cameras' loads, in the order they take the recorder's ports
    archive_bytes: float


def _recorder_checks(recorder: Part, load: _Load, reliable: bool, disk_tb: list[float]) -> tuple[bool, bool]:
    """Whether a recorder passes its own checks with these cameras, and whether it could hold the archive on the
    largest disk in stock it takes (plain tests, no strings built: this runs over every recorder)."""
    if load.stream_mbps > recorder.incoming_mbps * eng.RECORDER_BANDWIDTH_SHARE:
        return False, False
    if load.highest_mp > recorder.resolution_mp or not all(f & recorder.families for f in load.families):
        return False, False
    powered = load.powered[: recorder.poe_ports]
    if powered:
        per_port = eng.port_watts(recorder.poe_standard)
        if any(eng.port_watts(cam.poe_class) > per_port or cam.poe_w > per_port for cam in powered):
            return False, False
        if sum(cam.poe_w for cam in powered) > recorder.poe_budget_w * eng.POE_BUDGET_SHARE:
            return False, False
    largest = next((tb for tb in disk_tb if tb <= recorder.max_disk_tb), 0)
    data_disks = recorder.bays // 2 if reliable else recorder.bays
    return True, data_disks * largest * eng.BYTES_PER_TB * (1 - eng.FILE_SYSTEM_RESERVE) >= load.archive_bytes


def recorders_worth_reading(requirement: Requirement, cameras: list, disks: list[Part], figures: Figures) -> list[Part]:
    """The cheapest recorders that could pass with the chosen cameras; and for the nearest kit when none
    passes, the cheapest with enough channels and the cheapest of each storage and PoE set-up that fails only
    for the archive.

    `cameras` are the kit's `ZoneCameras`; `disks` the disks in stock in the region.
    """
    loads = [z.camera.load() for z in cameras for _ in range(z.zone.cameras)]
    load = _Load(
        cameras=len(loads),
        families=tuple({z.camera.families for z in cameras}),
        stream_mbps=sum(cam.main_mbps + cam.sub_mbps for cam in loads),
        highest_mp=max((cam.resolution_mp for cam in loads), default=0),
        powered=tuple(cam for cam in loads if cam.poe_class),
        archive_bytes=eng.storage_bytes(
            main_streams_mbps=[cam.main_mbps for cam in loads],
            days=requirement.days_needed,
            recorded_share=requirement.recorded_share,
        ),
    )
    disk_tb = sorted({d.capacity_tb for d in disks}, reverse=True)
    passing, cheapest, short_of_archive = [], [], {}
    for recorder in figures.by_role.get(RECORDER, []):
        if recorder.channels < load.cameras or not _of_family(recorder, requirement.family):
            continue
        if len(cheapest) < RECORDERS_NEAREST:
            cheapest.append(recorder)
        own, archive = _recorder_checks(recorder, load, requirement.reliable, disk_tb)
        if own and archive:
            passing.append(recorder)
            if len(passing) >= RECORDERS_READ:
                break
        elif own:
            setup = (
                recorder.bays,
                recorder.max_disk_tb,
                recorder.poe_ports,
                recorder.poe_budget_w,
                recorder.poe_standard,
            )
            same = short_of_archive.setdefault(setup, [])
            if len(same) < SPEC_READ:
                same.append(recorder)
    chosen = {r.product_id: r for r in [*passing, *cheapest, *(r for same in short_of_archive.values() for r in same)]}
    return list(chosen.values())


def parts_for(
    requirement: Requirement, overrides: Overrides, figures: Figures, units_of: Callable[[list[int]], dict[int, int]]
) -> dict[str, list[Part]]:
    """The parts the kit for these answers could be made of, by role, cheapest first, with their units.

    `units_of` reads the units free in the region of a list of product ids, in one query: for the first parts of
    every group, for the rest of a starved group (rarely), then for the recorders worth trying with the cameras
    the configurator's kit takes and, when the customer swapped cameras, with theirs (none when no zone has a
    camera in stock).
    """
    parts = parts_read(groups_for(requirement, overrides, figures), units_of)
    read = {p.product_id: p for listed in parts.values() for p in listed}
    in_stock = [p for p in parts[CAMERA] if p.units > 0]
    disks = [p for p in parts[DISK] if p.units > 0]
    swapped = {i: p for i, pid in overrides.cameras.items() if (p := read.get(pid)) and p.role == CAMERA}
    worth: dict[int, Part] = {}
    for forced in [{}, swapped] if swapped else [{}]:
        zones, problem = cameras_choose(requirement, in_stock, forced)
        if not problem:
            for recorder in recorders_worth_reading(requirement, zones, disks, figures):
                if recorder.product_id not in read:
                    worth[recorder.product_id] = recorder
    units = units_of(list(worth))
    more = [r.in_region(units[pid]) if units.get(pid) else r for pid, r in worth.items()]
    parts[RECORDER] = sorted(parts[RECORDER] + more, key=_price_order)
    return parts
