"""The category tree every page reads: menu, breadcrumbs, filters, cached until the catalogue's stamp moves."""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from catalog.models import Category
from catalog.versions import GLOBAL_KEY, cache, fetch, global_stamp, stamps

# Catalog reads are rebuilt on a miss, so they live in the cache that may evict and may be away.
CATALOG_VERSION_KEY = GLOBAL_KEY


def catalog_version() -> int:
    """The global stamp (catalog.versions) that the menu and every page are keyed by."""
    return global_stamp()


@dataclass
class CategoryNode:
    id: int
    name: str
    slug: str
    icon: str
    parent_id: int | None
    description: str = ""
    attribute_ids: list[int] = field(default_factory=list)
    children: list["CategoryNode"] = field(default_factory=list)
    url: str = ""

    def get_absolute_url(self):
        return self.url


@dataclass(frozen=True)
class FilterAttribute:
    id: int
    slug: str
    name: str
    unit: str


@dataclass
class CategoryTree:
    roots: list[CategoryNode]
    by_id: dict[int, CategoryNode]
    by_slug: dict[str, CategoryNode]
    attributes: dict[int, FilterAttribute] = field(default_factory=dict)

    def ancestors(self, node: CategoryNode) -> list[CategoryNode]:
        """The node's ancestors, root first."""
        chain = []
        while node.parent_id is not None:
            node = self.by_id[node.parent_id]
            chain.append(node)
        return chain[::-1]

    def descendant_ids(self, node: CategoryNode) -> list[int]:
        ids, stack = [], [node]
        while stack:
            current = stack.pop()
            ids.append(current.id)
            stack.extend(current.children)
        return ids

    def family_ids(self, node: CategoryNode) -> list[int]:
        """The node with its ancestors and descendants: whose filter attributes apply."""
        return [a.id for a in self.ancestors(node)] + self.descendant_ids(node)

    def filter_attributes(self, node: CategoryNode) -> list[FilterAttribute]:
        """The attributes a category page filters by: its own, its ancestors' and its descendants'."""
        ids: dict[int, None] = {}
        for category_id in self.family_ids(node):
            ids.update(dict.fromkeys(self.by_id[category_id].attribute_ids))
        return [self.attributes[pk] for pk in ids]


def _build_category_tree() -> CategoryTree:
    nodes = [
        CategoryNode(**row, url=reverse("catalog:category", kwargs={"slug": row["slug"]}))
        for row in Category.objects.filter(is_active=True).values(
            "id", "name", "slug", "icon", "parent_id", "description"
        )
    ]
    by_id = {n.id: n for n in nodes}
    links = Category.filter_attributes.through.objects.order_by("attribute__position", "attribute__name")
    attributes: dict[int, FilterAttribute] = {}
    for link in links.values("category_id", "attribute_id", "attribute__slug", "attribute__name", "attribute__unit"):
        if link["category_id"] in by_id:
            by_id[link["category_id"]].attribute_ids.append(link["attribute_id"])
            attributes[link["attribute_id"]] = FilterAttribute(
                id=link["attribute_id"],
                slug=link["attribute__slug"],
                name=link["attribute__name"],
                unit=link["attribute__unit"],
            )
    roots = []
    for node in nodes:
        parent = by_id.get(node.parent_id) if node.parent_id else None
        if node.parent_id is None:
            roots.append(node)
        elif parent is not None:
            parent.children.append(node)
    # A category under a hidden parent is hidden as well.
    visible: dict[int, CategoryNode] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        visible[node.id] = node
        stack.extend(node.children)
    return CategoryTree(
        roots=roots, by_id=visible, by_slug={n.slug: n for n in visible.values()}, attributes=attributes
    )


TREE_KEY = "catalog:tree:v3"
# The tree this process last read, with its stamp: while the stamp holds, no tree crosses the network.
_tree_memo: tuple[int, CategoryTree] | None = None


def category_tree() -> CategoryTree:
    """The active categories as a tree, cached until the catalog's global stamp changes."""
    global _tree_memo
    found = fetch([GLOBAL_KEY])
    stamp = stamps([GLOBAL_KEY], found)[0]
    memo = _tree_memo
    if memo is not None and memo[0] == stamp:
        return memo[1]
    entry = cache.get(TREE_KEY)
    if entry is not None and entry[0] == stamp:
        tree = entry[1]
    else:
        tree = _build_category_tree()
        cache.set(TREE_KEY, (stamp, tree), settings.CATALOG_CACHE_SECONDS)
    _tree_memo = (stamp, tree)
    return tree


def request_category_tree(request) -> CategoryTree:
    """The category tree, read once per request however many times the view and templates ask."""
    tree = getattr(request, "catalog_tree", None)
    if tree is None:
        tree = request.catalog_tree = category_tree()
    return tree
