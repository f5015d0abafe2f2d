"""The catalog benchmark's table, verdicts and JSON file."""

import json
import math
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from bench import aims
from bench.aims import Verdict

VARIANTS = {
    "hot": "no cookie, one URL",
    "spread": "no cookie, spread",
    "signed-in": "signed in, 3 lines",
}


@dataclass
class Measurement:
    page: str
    variant: str  # a key of VARIANTS, or "c1" for a single connection
    path: str
    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    error_detail: dict = field(default_factory=dict)
    vs_trivial: float | None = None  # rps over the trivial view's rps measured in the same round
    new_share: float | None = None  # share of requests to URLs not asked for before in this run (page-cache misses)


def ms(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.1f}"


def print_table(title: str, rows: list[tuple[str, str, Measurement | None, str]]) -> None:
    """rows: (page, variant, measurement or None, note); a None measurement prints the note in its place."""
    print()
    print(title)
    print(
        f"{'page':<10}{'visitor':<21}{'rps':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs trivial':>12}{'new URLs':>10}"
        f"{'errors':>8}  path"
    )
    for page, variant, m, note in rows:
        label = VARIANTS.get(variant, variant)
        if m is None:
            print(f"{page:<10}{label:<21}{'-':>9}{'-':>9}{'-':>9}{'-':>12}{'-':>10}{'-':>8}  {note}")
            continue
        ratio = f"{m.vs_trivial:.1%}" if m.vs_trivial is not None else "-"
        new = f"{m.new_share:.0%}" if m.new_share is not None else "-"
        print(
            f"{page:<10}{label:<21}{m.rps:>9.1f}{ms(m.p50_ms):>9}{ms(m.p99_ms):>9}{ratio:>12}{new:>10}"
            f"{m.errors:>8}  {m.path}" + (f"  ({note})" if note else "")
        )


def print_single(rows: list[tuple[str, int, Measurement | None]]) -> None:
    print()
    print(
        "Server time of a page-cache miss, one connection (no cookie, a new URL every request; trivial: the "
        "trivial view, the least this machine answers in):"
    )
    print(f"{'page':<10}{'products':>10}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}{'new URLs':>10}{'errors':>8}")
    for page, products, m in rows:
        if m is None:
            print(f"{page:<10}{products:>10}{'-':>9}")
            continue
        new = f"{m.new_share:.0%}" if m.new_share is not None else "-"
        print(f"{page:<10}{products:>10}{ms(m.p50_ms):>9}{ms(m.p99_ms):>9}{m.requests:>10}{new:>10}{m.errors:>8}")


def print_verdicts(verdicts: list[Verdict]) -> None:
    print()
    print("Aims:")
    for v in verdicts:
        print(f"  {v.status:<13}{v.aim}" + (f": {v.value}" if v.value else ""), flush=True)


def _finite(value):
    """The value with NaN (a figure not measured) as null, in lists and dicts too: JSON has no NaN."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return None if isinstance(value, float) and math.isnan(value) else value


def write_json(directory: Path, report: dict, measurements: list[Measurement], single, verdicts) -> Path:
    directory.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"catalog-{stamp}.json"
    report = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        **report,
        "pages": [asdict(m) for m in measurements],
        "single_connection": [
            {"page": page, "products": products, **(asdict(m) if m else {})} for page, products, m in single
        ],
        "aims": [asdict(v) | {"passed": v.passed} for v in verdicts],
    }
    path.write_text(json.dumps(_finite(report), ensure_ascii=False, indent=2) + "\n")
    return path


def _usable(m: Measurement | None) -> Measurement | None:
    return m if m is not None and not m.errors else None


def judge(results, singles, search_small, count, stampede_result, weights) -> list[aims.Verdict]:
    def share(page, variant):
        m = _usable(results.get((page, variant)))
        return m.vs_trivial if m else None

    large = {page: _usable(m) for page, products, m in singles if products == count}
    small = _usable(search_small[1]) if search_small else None
    weight = weights.get("category")
    return aims.judge(
        hot_category_share=share("category", "hot"),
        signed_in_shares={page: share(page, "signed-in") for page in aims.SIGNED_IN_SHARE},
        miss_ms={page: m.p50_ms if m else None for page, m in large.items()},
        search_small_ms=small.p50_ms if small else None,
        search_large_ms=large["search"].p50_ms if large.get("search") else None,
        sizes=(search_small[0], count) if search_small else None,
        stampede=(stampede_result.after_edit, stampede_result.single) if stampede_result else None,
        unrelated=stampede_result.unrelated if stampede_result else None,
        weight_kib=weight.first_kib if weight else None,
    )


def print_report(args, targets, results, failures, singles, stampede_result, weights, verdicts, count, client):
    rows = [("trivial", "hot", results.get(("trivial", "hot")), "HttpResponse('ok') through the full middleware")]
    for target in targets:
        key = (target.page, target.variant)
        note = failures.get(f"{target.page} {target.variant}", target.note)
        rows.append((target.page, target.variant, results.get(key), note))
        if target.page == "cart" and target.variant == "signed-in":
            rows.insert(-1, ("cart", "hot", None, "a visitor without a cookie has no cart: nothing to measure"))
    print_table(
        f"Catalog benchmark, {count:,} products, gunicorn {args.workers} sync workers, {client} with "
        f"{args.concurrency} connections, {args.seconds:g} s per measurement"
        + (f", median of {args.rounds} rounds" if args.rounds > 1 else ""),
        rows,
    )
    print_single(singles)
    if stampede_result:
        s = stampede_result
        print()
        print(
            f"Catalogue edit under load ({s.path}, {args.concurrency} connections, half signed in, a price changed "
            f"through the admin's save_model): {s.after_edit} category store builds in the "
            f"{s.seconds_after:g} s after the edit, {s.single} to compute the page's filter counts once; "
            f"{s.unrelated} for an unrelated category ({s.unrelated_path}) visited after it. p99 "
            f"{ms(s.p99_before_ms)} ms before the edit, {ms(s.p99_after_ms)} ms in the second after "
            f"(max {ms(s.max_after_ms)} ms); {s.requests} requests, {s.errors} errors"
        )
    if weights:
        print()
        print("Page weight in Chromium, pictures left out (KiB on the wire, first visit / repeat visit):")
        for name, w in weights.items():
            print(f"  {name:<10}{w.first_kib:>8.1f}{w.repeat_kib:>8.1f}")
    print_verdicts(verdicts)
