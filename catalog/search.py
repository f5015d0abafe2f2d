"""Product search: text normalisation shared by indexing and querying, and the search page's read.

On PostgreSQL the work after the index is bounded whatever the catalogue's size: the full-text index finds the
matches, at most SCAN_LIMIT of them are taken (in the order the index hands them over), only the RANK_WINDOW best
of those by popularity are ranked, and the count is exact below the cap and «более N» at it. Typos are corrected
against the vocabulary of the catalogue's words (a few hundred), not against every product name. What still grows
is the index's own bitmap of a common word (its whole posting list is read).
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_

import snowballstemmer
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from catalog.models import Category, Product
from catalog.selectors import card_products
from core.money import NBSP
from core.text import plural_form

_stemmer = snowballstemmer.stemmer("russian")
_english = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[\w\-./]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-я]")
# A word of the search vocabulary (typos are corrected against these): letters only, three or more. The same
# pattern is in the migration that fills the vocabulary; codes and figures («ds-2cd2043g2-i», «2.8») are not
# corrected, so the vocabulary holds the catalogue's language, a few hundred words, not its model numbers.
_VOCABULARY_WORD = re.compile(r"[a-zа-я]{3,}")
VOCABULARY_TABLE = "catalog_searchword"

# What a query may cost: the matches taken from the full-text index (one more tells that there are more),
# the matches ranked by relevance (the rest follow by popularity), the typo matches taken, below how many word
# matches those are looked for, and how many known words one query word may stand for.
SCAN_LIMIT = 500
RANK_WINDOW = 120
TYPO_LIMIT = 48
TYPOS_BELOW = 24
SPELLINGS = 3
QUERY_LENGTH = 200


def normalize(text: str) -> str:
    """Lower-case, fold ё to е, drop NUL characters (PostgreSQL refuses them) and squeeze white space."""
    return " ".join(text.lower().replace("ё", "е").replace("\x00", "").split())


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def stem(word: str) -> str:
    """Reduce a word to its stem so that «камеры» and «камера» meet."""
    if _CYRILLIC.search(word):
        return _stemmer.stemWord(word)
    return _english.stemWord(word) if word.isalpha() else word


def build_search_text(*parts: str) -> str:
    """Index text: the normalised words of every part, once each, in order."""
    seen: dict[str, None] = {}
    for part in parts:
        for word in words(part or ""):
            seen.setdefault(word, None)
    return " ".join(seen)


def vocabulary_words(text: str) -> set[str]:
    """The words of a product's search text that typos are corrected to."""
    return {word for word in words(text) if _VOCABULARY_WORD.fullmatch(word)}


def query_stems(query: str) -> list[str]:
    return [stem(w) for w in words(query)][:8]


# --- The search read ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHits:
    """The ids of the products found, best first, and whether more matches exist than were taken."""

    ids: list[int]
    capped: bool

    @property
    def label(self) -> str:
        """«21 товар», «1 857 товаров»; past a cap «более 500 товаров» (after «более» the genitive)."""
        if self.capped:
            # One row past the cap was taken to tell that there are more: more than len - 1.
            count = len(self.ids) - 1
            return f"более {_grouped(count)} {plural_form(count, 'товара', 'товаров', 'товаров')}"
        count = len(self.ids)
        return f"{_grouped(count)} {plural_form(count, 'товар', 'товара', 'товаров')}"


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", NBSP)


# Tiers: 0 the exact SKU, 1 every word matches (full text, Russian morphology), 2 a typo match: every word
# matches when each word of letters may also be one of the SPELLINGS known words most like it (trigram similarity
# against the vocabulary table, a few hundred words: «hikvison» is read as «hikvision», and «hikvision» also finds
# a name spelt «Hikvisoin»), looked for only when the words match fewer than TYPOS_BELOW products.
# The *_all CTEs are MATERIALIZED, so they are planned for all their rows (bitmap scans of the GIN index) and
# read lazily: the LIMIT after them stops the heap scan early instead of steering the planner to a seq scan, and
# the active categories are checked on their rows, not by an index scan per category.
# A ranked row costs one primary-key lookup and ts_rank; the rest cost a heap visit each.
# A query with no word to look up in an index (only punctuation or stop words; only excluded words, «-камера»,
# which would make GIN read every posting list) finds nothing, and one with an excluded word is not looked up
# for typos (a misspelt excluded word would be read as a wanted one).
_SQL = """
WITH query AS (
    SELECT q, querytree(q)::text NOT IN ('T', '') AS indexable, strpos(q::text, '!') = 0 AS without_exclusions
    FROM (SELECT websearch_to_tsquery('russian', %(text)s) AS q) AS parsed
),
active AS (SELECT id FROM {category} WHERE is_active),
exact AS MATERIALIZED (
    SELECT p.id, p.popularity, 0 AS tier FROM {product} p
    WHERE upper(p.sku) = upper(%(text)s) AND p.is_active AND p.category_id IN (SELECT id FROM active)
),
words_all AS MATERIALIZED (
    SELECT p.id, p.popularity, p.category_id FROM {product} p, query
    WHERE query.indexable AND p.search_vector @@ query.q AND p.is_active AND upper(p.sku) <> upper(%(text)s)
),
words AS MATERIALIZED (
    SELECT id, popularity, 1 AS tier FROM words_all WHERE category_id IN (SELECT id FROM active)
    LIMIT %(scan)s + 1
),
spellings AS (
    SELECT t.n, t.w, t.w ~ '^[a-zа-я]{{3,}}$' AS letters, (
        SELECT string_agg(known.word, ' | ') FROM (
            SELECT word FROM {vocabulary} WHERE word %% t.w ORDER BY similarity(word, t.w) DESC, word
            LIMIT %(spellings)s
        ) AS known
    ) AS alternatives
    FROM unnest(%(words)s::text[]) WITH ORDINALITY AS t(w, n)
),
typo_parts AS MATERIALIZED (
    SELECT
        to_tsquery('russian', string_agg('(' || coalesce(alternatives, w) || ')', ' & ' ORDER BY n)
            FILTER (WHERE letters)) AS spelt,
        websearch_to_tsquery('russian', string_agg(w, ' ' ORDER BY n) FILTER (WHERE NOT letters)) AS kept
    FROM spellings
),
typo_query AS MATERIALIZED (
    SELECT q, querytree(q)::text NOT IN ('T', '') AS indexable
    FROM (SELECT coalesce(spelt && kept, spelt, kept) AS q FROM typo_parts) AS joined
),
typos_all AS MATERIALIZED (
    SELECT p.id, p.popularity, p.category_id FROM {product} p, query, typo_query
    WHERE (SELECT count(*) FROM words) < %(typos_below)s AND query.indexable AND query.without_exclusions
        AND typo_query.indexable AND p.search_vector @@ typo_query.q AND NOT (p.search_vector @@ query.q)
        AND p.is_active AND upper(p.sku) <> upper(%(text)s)
),
typos AS MATERIALIZED (
    SELECT id, popularity, 2 AS tier FROM typos_all WHERE category_id IN (SELECT id FROM active)
    LIMIT %(typos)s + 1
),
found AS (
    SELECT hits.*, row_number() OVER (ORDER BY tier, popularity DESC, id) AS position
    FROM (SELECT * FROM exact UNION ALL SELECT * FROM words UNION ALL SELECT * FROM typos) AS hits
)
SELECT found.id,
    (SELECT count(*) FROM words) > %(scan)s OR (SELECT count(*) FROM typos) > %(typos)s AS capped
FROM found
ORDER BY found.position > %(window)s, found.tier,
    CASE WHEN found.position <= %(window)s THEN (
        SELECT CASE found.tier WHEN 1 THEN ts_rank(p.search_vector, query.q)
            WHEN 2 THEN ts_rank(p.search_vector, (SELECT q FROM typo_query)) END
        FROM {product} p, query WHERE p.id = found.id
    ) END DESC NULLS LAST,
    found.popularity DESC, found.id
"""


def _postgres_hits(text: str) -> SearchHits:
    sql = _SQL.format(product=Product._meta.db_table, category=Category._meta.db_table, vocabulary=VOCABULARY_TABLE)
    params = {
        "text": text,
        "words": words(text)[:8],
        "spellings": SPELLINGS,
        "scan": SCAN_LIMIT,
        "typos": TYPO_LIMIT,
        "typos_below": TYPOS_BELOW,
        "window": RANK_WINDOW,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return SearchHits(ids=[row[0] for row in rows], capped=bool(rows and rows[0][1]))


def _sqlite_hits(text: str) -> SearchHits:
    """Snowball stems of the query words in the normalised product text; an exact SKU first."""
    stems = query_stems(text)
    words_match = reduce(and_, [Q(search_text__contains=s) for s in stems]) if stems else Q(pk__in=[])
    exact = Case(When(sku__iexact=text, then=Value(1)), default=Value(0), output_field=IntegerField())
    # SKUs are unique: at most one exact row, then one match past the cap tells that there are more.
    rows = list(
        Product.objects.filter(words_match | Q(sku__iexact=text), is_active=True, category__is_active=True)
        .annotate(exact=exact)
        .order_by("-exact", "-popularity", "pk")
        .values_list("pk", "exact")[: SCAN_LIMIT + 2]
    )
    matches = [pk for pk, is_exact in rows if not is_exact][: SCAN_LIMIT + 1]
    return SearchHits(ids=[pk for pk, is_exact in rows if is_exact] + matches, capped=len(matches) > SCAN_LIMIT)


def search_hits(*, query: str) -> SearchHits:
    """The products matching the query, best first: one query, none for a blank one."""
    text = normalize(query)[:QUERY_LENGTH]
    if not text:
        return SearchHits(ids=[], capped=False)
    if connection.vendor == "postgresql":
        return _postgres_hits(text)
    return _sqlite_hits(text)


def search_page(*, query: str, number, per_page: int) -> tuple[SearchHits, Page]:
    """The hits and one page of their product cards in order: two queries (hits, cards)."""
    hits = search_hits(query=query)
    paginator = Paginator(hits.ids, per_page)
    page = paginator.get_page(number)
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    ids = list(page.object_list)
    if ids:
        # A product taken off sale between the two queries is left out rather than shown stale.
        page.object_list = card_products(ids)
    else:
        page.object_list = []
    return hits, page
