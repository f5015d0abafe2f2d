"""The aims the catalog benchmark judges (issues 2 and 12) and the verdict on each, from plain figures."""

from dataclasses import dataclass

PASS, FAIL, NOT_MEASURED = "PASS", "FAIL", "NOT MEASURED"

HOT_CATEGORY_SHARE = 0.40  # issue 2: the category page, no cookie, one URL
SIGNED_IN_SHARE = {"category": 0.25, "product": 0.25, "search": 0.25, "cart": 0.15}  # issue 12
MISS_MS = {"product": 5.0, "category": 5.0, "search": 10.0}  # issue 12: server time of a page-cache miss
SEARCH_GROWTH = 0.20  # issue 12: search at the big catalogue at most 20% slower than at the small one
WEIGHT_PAGE, WEIGHT_KIB = "category", 150  # the category page's first visit in a browser


@dataclass(frozen=True)
class Verdict:
    aim: str
    status: str  # PASS, FAIL or NOT MEASURED
    value: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASS


def _verdict(aim: str, value: float | None, passes: bool, shown: str) -> Verdict:
    """PASS or FAIL with the figure formatted by `shown`; NOT MEASURED without a figure."""
    if value is None:
        return Verdict(aim, NOT_MEASURED)
    return Verdict(aim, PASS if passes else FAIL, shown.format(value))


def judge(
    *,
    hot_category_share: float | None,
    signed_in_shares: dict[str, float | None],
    miss_ms: dict[str, float | None],
    search_small_ms: float | None,
    search_large_ms: float | None,
    sizes: tuple[int, int] | None,
    stampede: tuple[int, int] | None,
    unrelated: int | None,
    weight_kib: float | None,
) -> list[Verdict]:
    """A verdict per aim; a figure that is None (not measured, or measured with errors) is NOT MEASURED.

    `sizes` are the product counts of the two search measurements; `stampede` is (store builds after an edit
    under load, builds of one computation of the page); `unrelated` the builds an unrelated category
    page took after the edit.
    """
    share = hot_category_share
    verdicts = [
        _verdict(
            f"category, no cookie, one URL: >= {HOT_CATEGORY_SHARE:.0%} of the trivial view",
            share,
            share is not None and share >= HOT_CATEGORY_SHARE,
            "{:.1%}",
        )
    ]
    for page, limit in SIGNED_IN_SHARE.items():
        share = signed_in_shares.get(page)
        aim = f"{page}, signed in with a cart: >= {limit:.0%} of the trivial view"
        verdicts.append(_verdict(aim, share, share is not None and share >= limit, "{:.1%}"))
    for page, limit in MISS_MS.items():
        ms = miss_ms.get(page)
        aim = f"{page}, page-cache miss: <= {limit:g} ms server time (one connection, p50)"
        verdicts.append(_verdict(aim, ms, ms is not None and ms <= limit, "{:.1f} ms"))
    growth_aim = f"search miss time at the big catalogue within {SEARCH_GROWTH:.0%} of the small one"
    if search_small_ms and search_large_ms is not None and sizes:
        growth = search_large_ms / search_small_ms - 1
        shown = f"{search_small_ms:.1f} ms at {sizes[0]:,} -> {search_large_ms:.1f} ms at {sizes[1]:,} ({growth:+.0%})"
        verdicts.append(_verdict(growth_aim, growth, growth <= SEARCH_GROWTH, shown))
    else:
        verdicts.append(Verdict(growth_aim, NOT_MEASURED))
    stampede_aim = "no stampede: after an edit under load, each filter count computed at most once"
    if stampede and stampede[1]:
        after, single = stampede
        shown = f"{after} store builds vs {single} for one computation"
        verdicts.append(_verdict(stampede_aim, after, after <= single, shown))
    else:
        verdicts.append(Verdict(stampede_aim, NOT_MEASURED, "no category store builds seen" if stampede else ""))
    unrelated_aim = "an edit invalidates what it changes: an unrelated category's filter counts survive it"
    verdicts.append(_verdict(unrelated_aim, unrelated, unrelated == 0, "{} store builds"))
    weight_aim = f"{WEIGHT_PAGE} page, first visit in a browser: < {WEIGHT_KIB} KiB"
    verdicts.append(_verdict(weight_aim, weight_kib, weight_kib is not None and weight_kib < WEIGHT_KIB, "{:.1f} KiB"))
    return verdicts
