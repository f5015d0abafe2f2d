"""The engineering of a CCTV system as pure functions: bitrates, storage, recorder and PoE checks.

Units are named in every identifier: `_mbps` is megabits per second (10⁶ bit/s), `_bytes` bytes,
`_tb` decimal terabytes (10¹² bytes, as disks are sold and as the page says «ТБ»), `_w` watts,
`_mp` megapixels, `_m` metres, `_s` seconds. Nothing here touches the database.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.text import plural

SECONDS_PER_DAY = 86_400
BYTES_PER_TB = 10**12
BITS_PER_BYTE = 8

# A recorder is loaded to at most 75 % of its stated incoming bandwidth, a PoE source to 80 % of its budget.
RECORDER_BANDWIDTH_SHARE = 0.75
POE_BUDGET_SHARE = 0.8
# The recorder's file system and index keep this share of a disk array; the rest holds video.
FILE_SYSTEM_RESERVE = 0.05
# «Надёжный» keeps 30 % more archive than asked, on mirrored disks.
RELIABLE_ARCHIVE_FACTOR = 1.3

# Bitrate estimate, when a camera does not state its streams: megabits per second per megapixel at 25 fps.
# bitrate_mbps = resolution_mp × MBPS_PER_MP[codec] × fps / 25; a 4 Mp H.265 camera at 25 fps gives 4 Mbit/s.
REFERENCE_FPS = 25
MBPS_PER_MP = {"H.264": 2.0, "H.265": 1.0, "H.265+": 0.5}
DEFAULT_CODEC = "H.264"
# The sub stream (phone and multi-screen viewing) when not stated: 640×360 in about half a megabit.
DEFAULT_SUB_STREAM_MBPS = 0.5

# The power one port can give by its standard (IEEE 802.3af / at / bt type 3 / bt type 4), watts at the source.
PORT_WATTS = {"802.3af": 15.4, "802.3at": 30.0, "802.3bt": 60.0, "802.3bt-90": 90.0}


class Raid:
    NONE = "none"
    MIRROR = "1"
    PARITY = "5"
    STRIPED_MIRROR = "10"


RAID_LABELS = {Raid.NONE: "без RAID", Raid.MIRROR: "RAID 1", Raid.PARITY: "RAID 5", Raid.STRIPED_MIRROR: "RAID 10"}


def number(value: float, digits: int = 0) -> str:
    """A figure as Russian text: «10,37», «38»; trailing zeros dropped."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- Streams ---------------------------------------------------------------------------------


def estimate_bitrate_mbps(*, resolution_mp: float, codec: str = DEFAULT_CODEC, fps: int = REFERENCE_FPS) -> float:
    """Estimate a camera's main stream from its resolution, codec and frame rate (the formula above)."""
    per_mp = MBPS_PER_MP.get(codec, MBPS_PER_MP[DEFAULT_CODEC])
    return resolution_mp * per_mp * fps / REFERENCE_FPS


def camera_streams_mbps(
    *, main_mbps: float | None, sub_mbps: float | None, resolution_mp: float, codec: str, fps: int = REFERENCE_FPS
) -> tuple[float, float]:
    """A camera's main and sub stream: the stated figures where known, the estimate otherwise."""
    main = main_mbps if main_mbps else estimate_bitrate_mbps(resolution_mp=resolution_mp, codec=codec, fps=fps)
    return main, sub_mbps if sub_mbps else DEFAULT_SUB_STREAM_MBPS


# --- Storage ---------------------------------------------------------------------------------


def storage_bytes(*, main_streams_mbps: Iterable[float], days: float, recorded_share: float = 1.0) -> float:
    """Bytes the archive needs: Σ main bitrate / 8 × seconds recorded × share of time recorded."""
    bytes_per_s = sum(main_streams_mbps) * 10**6 / BITS_PER_BYTE
    return bytes_per_s * days * SECONDS_PER_DAY * recorded_share


def usable_bytes(*, disk_tb: float, count: int, raid: str = Raid.NONE) -> float:
    """Bytes of video an array of equal disks holds: the RAID level's share, less the file system reserve."""
    if count <= 0:
        return 0.0
    if raid == Raid.MIRROR or raid == Raid.STRIPED_MIRROR:
        data_disks = count // 2
    elif raid == Raid.PARITY:
        data_disks = count - 1 if count >= 3 else 0
    else:
        data_disks = count
    return data_disks * disk_tb * BYTES_PER_TB * (1 - FILE_SYSTEM_RESERVE)


def raid_disk_count_valid(*, count: int, raid: str) -> bool:
    """Whether a RAID level can be built from that many disks."""
    if raid == Raid.MIRROR:
        return count == 2
    if raid == Raid.STRIPED_MIRROR:
        return count >= 4 and count % 2 == 0
    if raid == Raid.PARITY:
        return count >= 3
    return count >= 1


def archive_days(*, usable: float, main_streams_mbps: Iterable[float], recorded_share: float = 1.0) -> float:
    """Days of archive that many usable bytes hold for these cameras."""
    per_day = storage_bytes(main_streams_mbps=main_streams_mbps, days=1, recorded_share=recorded_share)
    return usable / per_day if per_day else math.inf


def terabytes(value_bytes: float) -> float:
    return value_bytes / BYTES_PER_TB


def port_watts(standard: str | None) -> float:
    """The watts one port of that PoE standard gives; 0 for a port without PoE."""
    return PORT_WATTS.get(standard or "", 0.0)


# --- Checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    text: str  # the figures, as the page says them
    reason: str = ""  # why it fails and what would fix it; empty when it passes


@dataclass(frozen=True)
class CameraLoad:
    """What one camera asks of the system."""

    resolution_mp: float
    main_mbps: float
    sub_mbps: float
    poe_class: str | None  # the PoE standard the camera needs; None for a camera not powered by PoE
    poe_w: float


def archive_check(
    *,
    disk_tb: float,
    disk_count: int,
    raid: str,
    main_streams_mbps: Sequence[float],
    recorded_share: float,
    days_needed: float,
) -> Check:
    """The archive the chosen disks hold against the days asked for."""
    usable = usable_bytes(disk_tb=disk_tb, count=disk_count, raid=raid)
    days = archive_days(usable=usable, main_streams_mbps=main_streams_mbps, recorded_share=recorded_share)
    held = math.floor(days) if days != math.inf else 0
    mode = (
        "при постоянной записи" if recorded_share >= 1 else f"при записи по движению {number(recorded_share * 100)} %"
    )
    text = f"Архив: {plural(held, 'день', 'дня', 'дней')} {mode} (нужно {number(days_needed)})"
    if days >= days_needed:
        return Check("archive", True, text)
    need = storage_bytes(main_streams_mbps=main_streams_mbps, days=days_needed, recorded_share=recorded_share)
    reason = (
        f"Нужно {number(terabytes(need), 2)} ТБ под видео, а дисков хватает на {number(terabytes(usable), 2)} ТБ: "
        "добавьте диск или выберите диск большего объёма."
    )
    return Check("archive", False, text, reason)


def channels_check(*, cameras: int, channels: int) -> Check:
    """The recorder has a channel for every camera."""
    text = f"Каналы: {cameras} из {channels}"
    if cameras <= channels:
        return Check("channels", True, text)
    reason = (
        f"Камер {cameras}, а у регистратора {plural(channels, 'канал', 'канала', 'каналов')}: "
        f"выберите регистратор не меньше чем на {cameras} каналов."
    )
    return Check("channels", False, text, reason)


def bandwidth_check(*, loads: Sequence[CameraLoad], incoming_mbps: float) -> Check:
    """Σ (main + sub stream) within 75 % of the recorder's incoming bandwidth."""
    total = sum(load.main_mbps + load.sub_mbps for load in loads)
    reserve = number((1 - RECORDER_BANDWIDTH_SHARE) * 100)
    text = f"Входящий поток: {number(total, 1)} из {number(incoming_mbps)} Мбит/с (запас {reserve} %)"
    limit = incoming_mbps * RECORDER_BANDWIDTH_SHARE
    if total <= limit:
        return Check("bandwidth", True, text)
    reason = (
        f"Камеры дают {number(total, 1)} Мбит/с, а регистратор с запасом принимает {number(limit, 1)}: "
        "выберите регистратор с большим входящим потоком или камеры с кодеком H.265."
    )
    return Check("bandwidth", False, text, reason)


def resolution_check(*, loads: Sequence[CameraLoad], recorder_max_mp: float) -> Check:
    """The recorder takes the highest camera resolution."""
    highest = max((load.resolution_mp for load in loads), default=0)
    if highest <= recorder_max_mp:
        return Check("resolution", True, "Разрешение камер поддерживается регистратором")
    text = f"Разрешение: камера {number(highest, 1)} Мп, регистратор — до {number(recorder_max_mp, 1)} Мп"
    figure = number(highest, 1)
    reason = f"Регистратор не примет камеру {figure} Мп: выберите регистратор, который принимает камеры от {figure} Мп."
    return Check("resolution", False, text, reason)


def disks_check(*, disk_count: int, disk_tb: float, bays: int, max_disk_tb: float, raid: str = Raid.NONE) -> Check:
    """Disks fit the recorder's bays, each no larger than it takes, enough of them for the RAID level."""
    text = f"Диски: {disk_count} × {number(disk_tb, 1)} ТБ в {plural(bays, 'отсек', 'отсека', 'отсеков')}"
    if raid != Raid.NONE:
        text += f", {RAID_LABELS[raid]}"
    if disk_count > bays:
        reason = (
            f"Дисков {disk_count}, а отсеков {bays}: выберите регистратор с большим числом отсеков или диски объёмнее."
        )
        return Check("disks", False, text, reason)
    if disk_tb > max_disk_tb:
        reason = f"Регистратор берёт диски до {number(max_disk_tb, 1)} ТБ: выберите диск поменьше."
        return Check("disks", False, text, reason)
    if not raid_disk_count_valid(count=disk_count, raid=raid):
        reason = f"Для {RAID_LABELS[raid]} нужно другое число дисков: для RAID 1 — два одинаковых диска."
        return Check("disks", False, text, reason)
    return Check("disks", True, text)


def poe_check(*, loads: Sequence[CameraLoad], budget_w: float, standard: str | None, source: str) -> Check:
    """Each camera's class within its port's, Σ draw within 80 % of the source's budget."""
    powered = [load for load in loads if load.poe_class]
    draw = sum(load.poe_w for load in powered)
    reserve = number((1 - POE_BUDGET_SHARE) * 100)
    text = (
        f"PoE ({source}): {number(draw, 1)} Вт из {number(budget_w)} Вт (запас {reserve} %), "
        "каждый порт — не меньше класса камеры"
    )
    per_port = port_watts(standard)
    weak = [load for load in powered if port_watts(load.poe_class) > per_port or load.poe_w > per_port]
    if weak:
        reason = (
            f"Камере нужен порт {weak[0].poe_class} ({number(weak[0].poe_w, 1)} Вт), а порты {source} — "
            f"{standard or 'без PoE'}: выберите коммутатор с портами {weak[0].poe_class}."
        )
        return Check("poe", False, text, reason)
    limit = budget_w * POE_BUDGET_SHARE
    if draw > limit:
        reason = (
            f"Камеры берут {number(draw, 1)} Вт, а {source} с запасом даёт {number(limit, 1)} Вт: "
            "выберите коммутатор с большим бюджетом PoE."
        )
        return Check("poe", False, text, reason)
    return Check("poe", True, text)


def family_check(
    *, family_label: str, camera_families: Sequence[frozenset[str]], recorder_families: frozenset[str]
) -> Check:
    """The recorder takes every camera's signal (IP, or HD-TVI/AHD)."""
    if all(families & recorder_families for families in camera_families):
        return Check("family", True, f"Регистратор той же системы, что и камеры ({family_label})")
    takes = ", ".join(sorted(recorder_families)) or "не указано"
    text = f"Система: камеры {family_label}, регистратор — {takes}"
    return Check(
        "family", False, text, f"Регистратор не принимает камеры {family_label}: выберите регистратор {family_label}."
    )


def stock_check(*, missing: Sequence[str]) -> Check:
    """Every part is in stock in the region in the quantity the kit needs."""
    if not missing:
        return Check("stock", True, "Наличие: всё есть на складах вашего региона")
    text = f"Наличие: не хватает {len(missing)} поз."
    return Check("stock", False, text, "Нет в нужном количестве в вашем регионе: " + "; ".join(missing) + ".")


def ports_needed(*, cameras: int, ports_per_switch: int) -> int:
    """How many switches of that many PoE ports carry the cameras."""
    if cameras <= 0:
        return 0
    return math.ceil(cameras / ports_per_switch) if ports_per_switch > 0 else 0


def split_loads(loads: Sequence[CameraLoad], sizes: Sequence[int]) -> list[list[CameraLoad]]:
    """Cameras in order onto sources of the given port counts: the first fill the first source."""
    groups, start = [], 0
    for size in sizes:
        groups.append(list(loads[start : start + size]))
        start += size
    return groups


def packs_needed(*, amount: float, per_pack: float) -> int:
    """Units to buy of something sold in packs (metres of cable, pieces of connectors)."""
    return math.ceil(amount / per_pack) if amount > 0 else 0
