"""Page weight: KiB a browser transfers for a page, on a first visit and on a repeat visit.

Chromium (through Playwright) loads each page in a fresh profile and counts the bytes on the wire
(headers and compressed bodies) of every response but pictures, then loads it again in the same
profile, where static files come from the browser's cache. Runnable on its own against any server:

    .venv/bin/python bench/page_weight.py http://127.0.0.1:8000 / /catalog/videonablyudenie/
"""

import os
import sys
from dataclasses import dataclass

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VIEWPORT = {"width": 1366, "height": 900}
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


@dataclass
class PageWeight:
    path: str
    first_kib: float
    repeat_kib: float
    requests: int
    pictures_kib: float


def unavailable() -> str:
    """Why page weights cannot be measured here, or an empty string."""
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return ""


class _Wire:
    """Bytes on the wire per request, from Chromium's network events."""

    def __init__(self, page):
        self.types: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.responseReceived", lambda e: self.types.__setitem__(e["requestId"], e["type"]))
        cdp.on("Network.loadingFinished", lambda e: self.bytes.__setitem__(e["requestId"], e["encodedDataLength"]))
        cdp.send("Network.enable")

    def reset(self) -> None:
        self.types.clear()
        self.bytes.clear()

    def total(self, *, pictures: bool) -> int:
        return sum(size for rid, size in self.bytes.items() if (self.types.get(rid) == "Image") == pictures)


def measure(base_url: str, paths: list[str], *, browser=None) -> list[PageWeight]:
    """Load every path twice in its own fresh browser profile and weigh both visits."""
    if browser is not None:
        return [_weigh(browser, base_url, path) for path in paths]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            return [_weigh(browser, base_url, path) for path in paths]
        finally:
            browser.close()


def _weigh(browser, base_url: str, path: str) -> PageWeight:
    context = browser.new_context(base_url=base_url, locale="ru-RU", viewport=VIEWPORT)
    try:
        page = context.new_page()
        wire = _Wire(page)
        page.goto(path, wait_until="load")
        page.wait_for_load_state("networkidle")
        first, pictures, requests = wire.total(pictures=False), wire.total(pictures=True), len(wire.bytes)
        wire.reset()
        page.goto(path, wait_until="load")
        page.wait_for_load_state("networkidle")
        repeat = wire.total(pictures=False)
    finally:
        context.close()
    return PageWeight(path, first / 1024, repeat / 1024, requests, pictures / 1024)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    if reason := unavailable():
        print(f"page weight: {reason}", file=sys.stderr)
        return 1
    print(f"{'KiB first':>10}{'KiB repeat':>11}{'requests':>9}{'pictures':>10}  path")
    for w in measure(argv[0], argv[1:]):
        print(f"{w.first_kib:>10.1f}{w.repeat_kib:>11.1f}{w.requests:>9}{w.pictures_kib:>10.1f}  {w.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
