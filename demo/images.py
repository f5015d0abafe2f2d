"""Product-style pictures for the demo catalog: a light backdrop, a device silhouette, brand and model."""

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

WIDTH, HEIGHT = 800, 600
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# (body, outline, detail) colours of a white and of a graphite device.
FINISHES = [
    ("#fbfcfd", "#aeb6c1", "#2b2f36"),
    ("#33373e", "#1c1f24", "#0f1113"),
    ("#e9edf2", "#9aa3ae", "#2b2f36"),
]
BACKDROPS = [("#eef2f6", "#ffffff"), ("#f3f0ea", "#ffffff"), ("#eaf1ee", "#ffffff")]
GLASS = "#12161c"
LED_GREEN, LED_RED, LED_BLUE = "#36c26b", "#e5483c", "#3b82f6"


@cache
def _font(size: int, bold: bool = False) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default()


def _backdrop(variant: int) -> Image.Image:
    top, bottom = BACKDROPS[variant % len(BACKDROPS)]
    mask = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    return Image.composite(Image.new("RGB", (WIDTH, HEIGHT), bottom), Image.new("RGB", (WIDTH, HEIGHT), top), mask)


def _shadow(image: Image.Image, box: tuple[int, int, int, int]) -> None:
    layer = Image.new("L", image.size, 0)
    ImageDraw.Draw(layer).ellipse(box, fill=70)
    layer = layer.filter(ImageFilter.GaussianBlur(18))
    image.paste(Image.new("RGB", image.size, "#9aa3ae"), (0, 0), layer)


def _lens(d: ImageDraw.ImageDraw, cx: int, cy: int, r: int, ring: str) -> None:
    d.ellipse((cx - r - 8, cy - r - 8, cx + r + 8, cy + r + 8), fill=ring)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=GLASS)
    d.ellipse((cx - r // 2, cy - r // 2, cx + r // 2, cy + r // 2), fill="#25303d")
    d.ellipse((cx - r // 2, cy - r // 2 - 4, cx - r // 2 + r // 3, cy - r // 2 + r // 3 - 4), fill="#8fa6bf")


def _bullet(d, cx, cy, body, line, detail):
    d.rectangle((cx - 20, cy + 40, cx + 20, cy + 130), fill=body, outline=line, width=3)
    d.rounded_rectangle((cx - 90, cy + 120, cx + 90, cy + 145), 10, fill=body, outline=line, width=3)
    d.rounded_rectangle((cx - 230, cy - 75, cx + 150, cy + 55), 40, fill=body, outline=line, width=3)
    d.polygon([(cx - 250, cy - 95), (cx + 200, cy - 95), (cx + 180, cy - 70), (cx - 240, cy - 70)], fill=detail)
    d.ellipse((cx + 120, cy - 68, cx + 190, cy + 48), fill=detail)
    _lens(d, cx + 160, cy - 10, 34, line)
    d.ellipse((cx - 200, cy - 20, cx - 188, cy - 8), fill=LED_BLUE)


def _dome(d, cx, cy, body, line, detail):
    d.ellipse((cx - 190, cy + 40, cx + 190, cy + 110), fill=body, outline=line, width=3)
    d.pieslice((cx - 160, cy - 120, cx + 160, cy + 200), 180, 360, fill=body, outline=line, width=3)
    d.pieslice((cx - 115, cy - 70, cx + 115, cy + 160), 180, 360, fill=GLASS)
    _lens(d, cx, cy + 10, 36, detail)


def _ptz(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 110, cy + 90, cx + 110, cy + 140), 20, fill=body, outline=line, width=3)
    d.ellipse((cx - 140, cy - 150, cx + 140, cy + 130), fill=body, outline=line, width=3)
    d.rounded_rectangle((cx - 95, cy - 70, cx + 95, cy + 50), 50, fill=GLASS)
    _lens(d, cx, cy - 10, 34, detail)
    d.ellipse((cx - 6, cy + 70, cx + 6, cy + 82), fill=LED_BLUE)


def _recorder(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 280, cy - 60, cx + 280, cy + 60), 12, fill=body, outline=line, width=3)
    d.rectangle((cx - 280, cy - 60, cx + 280, cy - 40), fill=detail)
    for i in range(4):
        d.ellipse((cx - 250 + i * 28, cy - 5, cx - 238 + i * 28, cy + 7), fill=LED_GREEN if i < 3 else LED_BLUE)
    for i in range(12):
        d.line((cx + 60 + i * 16, cy - 20, cx + 60 + i * 16, cy + 40), fill=line, width=4)


def _monitor(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 230, cy - 140, cx + 230, cy + 140), 24, fill=body, outline=line, width=3)
    d.rounded_rectangle((cx - 190, cy - 110, cx + 130, cy + 110), 8, fill=GLASS)
    d.polygon([(cx - 190, cy + 110), (cx - 40, cy - 20), (cx + 130, cy + 110)], fill="#1f2a36")
    for i in range(3):
        d.ellipse((cx + 160, cy - 70 + i * 55, cx + 200, cy - 30 + i * 55), outline=detail, width=4)


def _call_panel(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 80, cy - 200, cx + 80, cy + 200), 20, fill=body, outline=line, width=3)
    _lens(d, cx, cy - 130, 26, detail)
    for i in range(5):
        d.line((cx - 40, cy - 50 + i * 14, cx + 40, cy - 50 + i * 14), fill=line, width=4)
    d.ellipse((cx - 45, cy + 60, cx + 45, cy + 150), outline=detail, width=6)
    d.ellipse((cx - 12, cy + 93, cx + 12, cy + 117), fill=LED_BLUE)


def _hub(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 170, cy - 170, cx + 170, cy + 130), 40, fill=body, outline=line, width=3)
    d.ellipse((cx - 40, cy - 60, cx + 40, cy + 20), outline=detail, width=8)
    d.ellipse((cx - 8, cy - 28, cx + 8, cy - 12), fill=LED_GREEN)
    d.rounded_rectangle((cx - 150, cy + 120, cx + 150, cy + 140), 8, fill=detail)


def _motion(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 90, cy - 170, cx + 90, cy + 150), 44, fill=body, outline=line, width=3)
    d.rounded_rectangle((cx - 60, cy - 130, cx + 60, cy - 10), 30, fill=GLASS)
    d.ellipse((cx - 8, cy + 40, cx + 8, cy + 56), fill=LED_GREEN)


def _contact(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 220, cy - 60, cx + 90, cy + 40), 26, fill=body, outline=line, width=3)
    d.rounded_rectangle((cx + 120, cy - 40, cx + 220, cy + 20), 18, fill=body, outline=line, width=3)
    d.ellipse((cx - 190, cy - 18, cx - 174, cy - 2), fill=LED_GREEN)


def _siren(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 170, cy - 170, cx + 170, cy + 150), 50, fill=body, outline=line, width=3)
    for r in (110, 80, 50):
        d.ellipse((cx - r, cy - 10 - r, cx + r, cy - 10 + r), outline=detail, width=5)
    d.polygon([(cx, cy - 40), (cx + 30, cy + 15), (cx - 30, cy + 15)], fill=LED_RED)


def _keypad(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 150, cy - 190, cx + 150, cy + 170), 30, fill=body, outline=line, width=3)
    for row in range(4):
        for col in range(3):
            x, y = cx - 80 + col * 80, cy - 120 + row * 75
            d.ellipse((x - 24, y - 24, x + 24, y + 24), outline=detail, width=4)


def _fob(d, cx, cy, body, line, detail):
    d.ellipse((cx - 20, cy - 200, cx + 20, cy - 160), outline=line, width=8)
    d.rounded_rectangle((cx - 90, cy - 170, cx + 90, cy + 150), 60, fill=body, outline=line, width=3)
    for i, y in enumerate((-110, -40, 30, 100)):
        d.ellipse((cx - 26, cy + y - 26, cx + 26, cy + y + 26), fill=LED_RED if i == 3 else detail)


def _smoke(d, cx, cy, body, line, detail):
    d.ellipse((cx - 190, cy - 170, cx + 190, cy + 150), fill=body, outline=line, width=3)
    d.ellipse((cx - 120, cy - 100, cx + 120, cy + 80), outline=line, width=4)
    for i in range(12):
        d.line((cx - 100 + i * 18, cy - 40, cx - 100 + i * 18, cy + 20), fill=line, width=5)
    d.ellipse((cx - 8, cy + 100, cx + 8, cy + 116), fill=LED_RED)


def _leak(d, cx, cy, body, line, detail):
    d.ellipse((cx - 150, cy - 60, cx + 150, cy + 100), fill=body, outline=line, width=3)
    d.pieslice((cx - 150, cy - 150, cx + 150, cy + 60), 180, 360, fill=body, outline=line, width=3)
    d.polygon([(cx, cy - 110), (cx + 30, cy - 60), (cx - 30, cy - 60)], fill=LED_BLUE)
    d.ellipse((cx - 30, cy - 85, cx + 30, cy - 30), fill=LED_BLUE)
    for x in (-90, 90):
        d.ellipse((cx + x - 12, cy + 70, cx + x + 12, cy + 94), fill=detail)


def _valve(d, cx, cy, body, line, detail):
    d.rectangle((cx - 260, cy + 40, cx + 260, cy + 100), fill="#c9a24a", outline="#9c7a2e", width=3)
    d.rounded_rectangle((cx - 80, cy + 20, cx + 80, cy + 120), 20, fill="#d8b25a", outline="#9c7a2e", width=3)
    d.rectangle((cx - 20, cy - 20, cx + 20, cy + 20), fill=detail)
    d.rounded_rectangle((cx - 110, cy - 170, cx + 110, cy - 20), 18, fill=body, outline=line, width=3)
    d.ellipse((cx - 8, cy - 100, cx + 8, cy - 84), fill=LED_GREEN)


def _plug(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 160, cy - 170, cx + 160, cy + 150), 60, fill=body, outline=line, width=3)
    d.ellipse((cx - 110, cy - 120, cx + 110, cy + 100), outline=line, width=5)
    for x in (-45, 45):
        d.ellipse((cx + x - 16, cy - 26, cx + x + 16, cy + 6), fill=detail)
    d.ellipse((cx - 7, cy + 120, cx + 7, cy + 134), fill=LED_BLUE)


def _switch(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 140, cy - 140, cx + 140, cy + 120), 24, fill=body, outline=line, width=3)
    for i in range(5):
        d.rectangle((cx - 110 + i * 48, cy + 60, cx - 80 + i * 48, cy + 100), fill=detail)
    d.rounded_rectangle((cx - 80, cy - 100, cx + 80, cy + 20), 16, outline=detail, width=5)


def _climate(d, cx, cy, body, line, detail):
    d.rounded_rectangle((cx - 150, cy - 150, cx + 150, cy + 130), 40, fill=body, outline=line, width=3)
    d.rounded_rectangle((cx - 110, cy - 110, cx + 110, cy + 60), 12, fill="#dfe7e2")
    d.text((cx, cy - 25), "23°", font=_font(80, bold=True), fill=GLASS, anchor="mm")


def _box(d, cx, cy, body, line, detail):
    front = [(cx - 200, cy - 80), (cx + 120, cy - 80), (cx + 120, cy + 150), (cx - 200, cy + 150)]
    top = [(cx - 200, cy - 80), (cx - 120, cy - 160), (cx + 200, cy - 160), (cx + 120, cy - 80)]
    side = [(cx + 120, cy - 80), (cx + 200, cy - 160), (cx + 200, cy + 70), (cx + 120, cy + 150)]
    d.polygon(front, fill="#d6b98c", outline="#9b7b4b")
    d.polygon(top, fill="#e6cda3", outline="#9b7b4b")
    d.polygon(side, fill="#c2a274", outline="#9b7b4b")
    d.rectangle((cx - 170, cy - 20, cx + 90, cy + 60), fill="#fbfcfd", outline="#9b7b4b")
    d.text((cx - 40, cy + 20), "КОМПЛЕКТ", font=_font(30, bold=True), fill=GLASS, anchor="mm")


def _tools(d, cx, cy, body, line, detail):
    d.line((cx - 150, cy + 130, cx + 90, cy - 110), fill="#6b7582", width=34)
    d.ellipse((cx + 50, cy - 190, cx + 190, cy - 50), fill="#6b7582")
    d.ellipse((cx + 105, cy - 175, cx + 175, cy - 105), fill="#f3f5f8")
    d.line((cx + 150, cy + 130, cx - 70, cy - 90), fill="#e0a526", width=30)
    d.line((cx - 70, cy - 90, cx - 150, cy - 170), fill="#9aa3ae", width=12)


SHAPES = {
    "bullet": _bullet,
    "dome": _dome,
    "ptz": _ptz,
    "recorder": _recorder,
    "monitor": _monitor,
    "call_panel": _call_panel,
    "hub": _hub,
    "motion": _motion,
    "contact": _contact,
    "siren": _siren,
    "keypad": _keypad,
    "fob": _fob,
    "smoke": _smoke,
    "leak": _leak,
    "valve": _valve,
    "plug": _plug,
    "switch": _switch,
    "climate": _climate,
    "box": _box,
    "tools": _tools,
}


def _fit(text: str, font, width: int) -> str:
    """Cut the text with an ellipsis so that it fits the width."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _companion(shape: str) -> Image.Image:
    """A kit's main device, drawn on a transparent layer and shrunk to stand in front of the box."""
    layer = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    body, line, detail = FINISHES[0]
    SHAPES.get(shape, _hub)(ImageDraw.Draw(layer), WIDTH // 2, HEIGHT // 2, body, line, detail)
    layer = layer.crop(layer.getbbox() or (0, 0, WIDTH, HEIGHT))
    layer.thumbnail((260, 220))
    return layer


def product_picture(*, shape: str, brand: str, model: str, variant: int = 0, companion: str = "") -> bytes:
    """A JPEG of a device silhouette on a light backdrop with the brand and model under it.

    A kit (shape "box") may show its main device, `companion`, in front of the box.
    """
    image = _backdrop(variant)
    cx, cy = WIDTH // 2, 250
    _shadow(image, (cx - 230, cy + 150, cx + 230, cy + 200))
    draw = ImageDraw.Draw(image)
    body, line, detail = FINISHES[variant % len(FINISHES)]
    if companion:
        SHAPES[shape](draw, cx + 90, cy - 10, body, line, detail)
        device = _companion(companion)
        image.paste(device, (cx - 60 - device.width, cy + 150 - device.height), device)
    else:
        SHAPES.get(shape, _hub)(draw, cx, cy, body, line, detail)
    if brand:
        draw.text(
            (40, 490), _fit(brand.upper(), _font(34, bold=True), WIDTH - 80), font=_font(34, bold=True), fill=GLASS
        )
    draw.text((40, 538), _fit(model, _font(24), WIDTH - 80), font=_font(24), fill="#4a5361")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=86, optimize=True)
    return buffer.getvalue()
