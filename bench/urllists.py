"""URL lists for the benchmark's spread-out visitors, drawn from the database: random products, category
pages with random filter combinations and searches made of words of product names.

Each list is shuffled and free of repeats, so a run that walks it (bench/wrk_paths.lua) asks for pages
nobody asked for before: misses of the page cache and, on category pages, of the filter counts.
"""

import random
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.db.models import Max, Min
from django.urls import reverse
from django.utils.http import urlencode

_WORD = re.compile(r"[\w-]+")
SORTS = ["popular", "price", "-price", "new"]


def roots_by_size() -> list:
    """The top-level categories of the tree, the one with the most active products first."""
    from django.db.models import Count

    from catalog.models import Product
    from catalog.selectors import category_tree

    tree = category_tree()
    counts = Product.objects.filter(is_active=True).values("category_id").annotate(n=Count("pk"))
    sizes = dict(counts.values_list("category_id", "n"))
    return sorted(tree.roots, key=lambda root: -sum(sizes.get(i, 0) for i in tree.descendant_ids(root)))


def product_paths(rng: random.Random, count: int) -> list[str]:
    """Pages of `count` random active products (fewer when the catalog is smaller)."""
    from catalog.models import Product

    slugs = sorted(Product.objects.filter(is_active=True).values_list("slug", flat=True))
    return [reverse("catalog:product", kwargs={"slug": slug}) for slug in rng.sample(slugs, min(count, len(slugs)))]


def category_paths(rng: random.Random, count: int) -> list[str]:
    """Pages of random categories, each with a random combination of brand, price, stock and attribute filters."""
    from catalog.models import Product, ProductAttributeValue
    from catalog.selectors import category_tree

    tree = category_tree()
    per_category = {
        row["category_id"]: row
        for row in Product.objects.filter(is_active=True)
        .values("category_id")
        .annotate(low=Min("price"), high=Max("price"))
        .order_by()
    }
    brands: dict[int, set[str]] = defaultdict(set)
    for category_id, brand in (
        Product.objects.filter(is_active=True, brand__isnull=False)
        .values_list("category_id", "brand__slug")
        .distinct()
        .order_by()
    ):
        brands[category_id].add(brand)
    values: dict[int, list[str]] = defaultdict(list)
    for attribute_id, value in ProductAttributeValue.objects.values_list("attribute_id", "value").distinct().order_by():
        values[attribute_id].append(value)

    choices = []
    for node in sorted(tree.by_id.values(), key=lambda n: n.id):
        ids = [i for i in tree.descendant_ids(node) if i in per_category]
        if not ids:
            continue
        low = min(per_category[i]["low"] for i in ids)
        high = max(per_category[i]["high"] for i in ids)
        node_brands = sorted(set().union(*(brands[i] for i in ids)))
        attributes = [(a.slug, sorted(values[a.id])) for a in tree.filter_attributes(node) if values[a.id]]
        choices.append((node, low, high, node_brands, attributes))
    if not choices:
        return []

    paths: dict[str, None] = {}
    for _ in range(count * 20):
        if len(paths) >= count:
            break
        node, low, high, node_brands, attributes = rng.choice(choices)
        query = _filters(rng, low, high, node_brands, attributes)
        paths[f"{node.url}?{urlencode(query, doseq=True)}" if query else node.url] = None
    result = list(paths)
    rng.shuffle(result)
    return result


def _filters(rng: random.Random, low: Decimal, high: Decimal, brands: list[str], attributes: list) -> list:
    """One to three filters, as a shopper sets them in the filter panel, sometimes with a sort order."""
    query: list[tuple[str, str]] = []
    kinds = ["price", "in_stock"] + (["brand"] if brands else []) + (["attribute"] if attributes else [])
    for kind in rng.sample(kinds, rng.randint(1, min(3, len(kinds)))):
        if kind == "brand":
            query += [("brand", b) for b in rng.sample(brands, rng.randint(1, min(2, len(brands))))]
        elif kind == "price":
            step = max(100, int(high - low) // 20 // 100 * 100)
            bound = int(low) + rng.randint(1, 19) * step
            query.append(("price_min" if rng.random() < 0.5 else "price_max", str(bound // 100 * 100)))
        elif kind == "in_stock":
            query.append(("in_stock", "1"))
        else:
            slug, options = rng.choice(attributes)
            query += [(f"a_{slug}", v) for v in rng.sample(options, rng.randint(1, min(2, len(options))))]
    if rng.random() < 0.3:
        query.append(("sort", rng.choice(SORTS[1:])))
    return query


def search_paths(rng: random.Random, count: int, *, sample: int = 5000) -> list[str]:
    """Searches a shopper might type: words of product names and brands (kind, brand, model, a figure)."""
    from catalog.models import Product

    ids = list(Product.objects.filter(is_active=True).values_list("pk", flat=True))
    chosen = rng.sample(ids, min(sample, len(ids)))
    names = sorted(Product.objects.filter(pk__in=chosen).values_list("name", "brand__name"))
    queries: dict[str, None] = {}
    for _ in range(count * 20):
        if len(queries) >= count or not names:
            break
        name, brand = rng.choice(names)
        words = _WORD.findall(name.lower())
        if not words:
            continue
        roll = rng.random()
        if roll < 0.35 and brand:
            query = f"{words[0]} {brand.lower()}"  # «камера hikvision»
        elif roll < 0.6:
            start = rng.randrange(len(words))
            query = " ".join(words[start : start + rng.randint(1, 3)])
        elif roll < 0.8:
            query = " ".join(rng.sample(words, min(len(words), 2)))
        else:
            query = rng.choice(words)
        queries[query] = None
    result = [f"{reverse('catalog:search')}?{urlencode({'q': q})}" for q in queries]
    rng.shuffle(result)
    return result


def write_paths(paths: list[str], path: Path) -> Path:
    """One path per line, as bench/wrk_paths.lua reads them."""
    path.write_text("".join(f"{p}\n" for p in paths))
    return path
