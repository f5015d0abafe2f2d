"""The kit as a schematic drawn on the server: cameras by zone → switch → recorder → disks, figures on the links."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from configurator import engineering as eng
from configurator import kit as k

WIDTH = 900
ROW = 64
BOX_H = 44
ZONE_X, ZONE_W = 8, 210
SWITCH_X, SWITCH_W = 330, 180
RECORDER_X, RECORDER_W = 560, 150
DISK_X, DISK_W = 750, 142
INK, LINE, FILL, ACCENT = "#1f2937", "#64748b", "#f1f5f9", "#0d6efd"


def _box(x: float, y: float, w: float, title: str, figure: str, *, accent: bool = False) -> str:
    stroke = ACCENT if accent else LINE
    return (
        f'<rect x="{x}" y="{y}" width="{w}" height="{BOX_H}" rx="6" fill="{FILL}" stroke="{stroke}"/>'
        f'<text x="{x + 8}" y="{y + 18}" font-size="13" font-weight="600" fill="{INK}">{escape(title)}</text>'
        f'<text x="{x + 8}" y="{y + 35}" font-size="12" fill="{INK}">{escape(figure)}</text>'
    )


def _link(x1: float, y1: float, x2: float, y2: float, label: str = "") -> str:
    """A curve from one box to the next, its figure written above where it leaves the first box."""
    path = f'<path d="M{x1} {y1} C{(x1 + x2) / 2} {y1} {(x1 + x2) / 2} {y2} {x2} {y2}" fill="none" stroke="{LINE}"/>'
    if not label:
        return path
    return path + f'<text x="{x1 + 6}" y="{y1 - 5}" font-size="11" fill="{INK}">{escape(label)}</text>'


def schematic_svg(kit: k.Kit) -> SafeString:
    """An SVG picture of the kit with its figures; every text escaped."""
    rows = max(len(kit.zones), 1)
    height = rows * ROW + 16
    mid = height / 2 - BOX_H / 2
    parts = []
    hub_x = SWITCH_X if kit.switch_count else RECORDER_X
    hub_y = mid
    for row, z in enumerate(kit.zones):
        y = 8 + row * ROW
        place = "улица" if z.zone.outdoor else "помещение"
        parts.append(
            _box(
                ZONE_X,
                y,
                ZONE_W,
                f"{z.zone.name}: {z.zone.cameras} × камера",
                f"{eng.number(z.camera.resolution_mp, 1)} Мп, {place}",
            )
        )
        label = f"{eng.number(z.main_mbps, 1)} Мбит/с"
        parts.append(_link(ZONE_X + ZONE_W, y + BOX_H / 2, hub_x, hub_y + BOX_H / 2, label))
    if kit.switch_count:
        switch = kit.part(k.SWITCH)
        parts.append(
            _box(
                SWITCH_X,
                mid,
                SWITCH_W,
                f"PoE-коммутатор × {kit.switch_count}",
                f"{switch.poe_ports} портов, {eng.number(switch.poe_budget_w)} Вт",
            )
        )
        parts.append(
            _link(
                SWITCH_X + SWITCH_W,
                mid + BOX_H / 2,
                RECORDER_X,
                mid + BOX_H / 2,
                f"{eng.number(kit.stream_mbps, 1)} Мбит/с",
            )
        )
    recorder = kit.part(k.RECORDER)
    figure = f"{recorder.channels} каналов"
    if recorder.poe_ports and not kit.switch_count and kit.poe_w:
        figure += f", PoE {eng.number(kit.poe_w, 1)} Вт"
    parts.append(_box(RECORDER_X, mid, RECORDER_W, "Регистратор", figure, accent=True))

    if kit.disk_count:
        disk = kit.part(k.DISK)
        parts.append(
            _box(
                DISK_X,
                mid,
                DISK_W,
                f"Диски {kit.disk_count} × {eng.number(disk.capacity_tb, 1)} ТБ",
                f"архив {k.archive_figure(kit)} дн.",
            )
        )
        parts.append(
            _link(RECORDER_X + RECORDER_W, mid + BOX_H / 2, DISK_X, mid + BOX_H / 2, eng.RAID_LABELS[kit.raid])
        )
    title = "Схема системы: камеры по зонам, коммутатор, регистратор и диски"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="schematic-title" font-family="system-ui, sans-serif" data-testid="schematic">'
        f'<title id="schematic-title">{escape(title)}</title>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text inside is escaped above
