"""The values kit selection works on: catalogue parts with their figures, the object's zones, the kit."""

from dataclasses import dataclass, field
from decimal import Decimal

from configurator import engineering as eng

CAMERA, RECORDER, DISK, SWITCH, CABLE, CONNECTOR, BOX, POWER = (
    "camera",
    "recorder",
    "disk",
    "switch",
    "cable",
    "connector",
    "box",
    "power",
)
ROLES = (CAMERA, RECORDER, DISK, SWITCH, CABLE, CONNECTOR, BOX, POWER)
ROLE_LABELS = {
    CAMERA: "Камера",
    RECORDER: "Регистратор",
    DISK: "Жёсткий диск",
    SWITCH: "PoE-коммутатор",
    CABLE: "Кабель",
    CONNECTOR: "Разъёмы",
    BOX: "Монтажная коробка",
    POWER: "Блок питания",
}

IP = "IP"
ANALOG = frozenset({"HD-TVI", "AHD"})
FAMILY_LABELS = {"ip": "IP", "analog": "HD-TVI/AHD"}

OVERVIEW, FACES, PLATES = "overview", "faces", "plates"
DETAIL_MIN_MP = {OVERVIEW: 2, FACES: 4, PLATES: 4}
PLATES_MIN_LENS_MM = 6
CONNECTORS_PER_CAMERA = 2

NO_KIT = "Из того, что есть в наличии в вашем регионе, работающий комплект не собрать"


@dataclass(frozen=True)
class Part:
    product_id: int
    sku: str
    name: str
    price: Decimal
    units: int  # units free to sell in the customer's region
    role: str
    families: frozenset[str] = frozenset()
    resolution_mp: float = 0  # a camera's, or the highest a recorder takes
    lens_max_mm: float = 0
    codec: str = ""
    main_mbps: float | None = None
    sub_mbps: float | None = None
    poe_class: str | None = None
    poe_w: float = 0
    ir_m: float = 0
    outdoor: bool = False
    channels: int = 0
    incoming_mbps: float = 0
    bays: int = 0
    max_disk_tb: float = 0
    poe_ports: int = 0
    poe_budget_w: float = 0
    poe_standard: str | None = None
    capacity_tb: float = 0
    pack: float = 1  # metres of cable, pieces of connectors or cameras a power supply feeds, in one unit sold
    slug: str = ""

    def in_region(self, units: int) -> "Part":
        """A copy with the units free in a region; the shared figures stay as they are (a fast copy: thousands
        of parts are copied on every request, where `dataclasses.replace` would rebuild each one)."""
        copy = object.__new__(Part)
        copy.__dict__.update(self.__dict__)
        copy.__dict__["units"] = units
        return copy

    @property
    def url(self) -> str:
        """The product's page; reversed only for the parts a page shows, not for every candidate read."""
        from django.urls import reverse

        return reverse("catalog:product", kwargs={"slug": self.slug}) if self.slug else ""

    def load(self) -> eng.CameraLoad:
        main, sub = eng.camera_streams_mbps(
            main_mbps=self.main_mbps, sub_mbps=self.sub_mbps, resolution_mp=self.resolution_mp, codec=self.codec
        )
        return eng.CameraLoad(self.resolution_mp, main, sub, self.poe_class, self.poe_w)


@dataclass(frozen=True)
class Zone:
    name: str
    cameras: int
    outdoor: bool
    detail: str
    night_m: int


@dataclass(frozen=True)
class Requirement:
    zones: tuple[Zone, ...]
    family: str  # "ip" or "analog"
    days: int
    recorded_share: float  # 1.0 continuous, else the share of time motion is recorded
    reliable: bool = False
    cable_run_m: int = 30

    @property
    def days_needed(self) -> float:
        return self.days * eng.RELIABLE_ARCHIVE_FACTOR if self.reliable else self.days

    @property
    def camera_count(self) -> int:
        return sum(zone.cameras for zone in self.zones)


@dataclass(frozen=True)
class Overrides:
    """Parts the customer chose instead of the configurator's: a camera per zone index, recorder, disk, switch."""

    cameras: dict[int, int] = field(default_factory=dict)
    recorder: int | None = None
    disk: int | None = None
    switch: int | None = None

    def any(self) -> bool:
        return bool(self.cameras or self.recorder or self.disk or self.switch)


@dataclass
class KitLine:
    role: str
    part: Part
    quantity: int
    note: str = ""

    @property
    def total(self) -> Decimal:
        return self.part.price * self.quantity

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


@dataclass
class ZoneCameras:
    zone: Zone
    index: int
    camera: Part

    @property
    def main_mbps(self) -> float:
        return self.camera.load().main_mbps * self.zone.cameras


@dataclass
class Kit:
    lines: list[KitLine]
    checks: list[eng.Check]
    zones: list[ZoneCameras]
    raid: str
    disk_count: int
    switch_count: int
    archive_days: float
    stream_mbps: float
    poe_w: float

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def failures(self) -> list[eng.Check]:
        return [check for check in self.checks if not check.ok]

    @property
    def ok(self) -> bool:
        return not self.failures

    def part(self, role: str) -> Part | None:
        return next((line.part for line in self.lines if line.role == role), None)


@dataclass
class Selection:
    kit: Kit | None
    problem: str = ""
