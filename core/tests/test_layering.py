"""The house has no import loop: each app imports only apps below it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lower layers never import higher ones. Apps of one layer do not import each other.
LAYERS = {
    "core": 0,
    "catalog": 1,
    "accounts": 2,
    "delivery": 2,
    "promotions": 2,
    "loyalty": 2,
    "cart": 3,
    "notices": 3,
    "orders": 4,
    "payments": 5,
    "service": 5,
    "feeds": 2,
    "exchange": 6,
    "configurator": 6,
    "lists": 7,
    "demo": 9,
    "shop": 9,
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _app_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            graph.setdefault(app, set()).update(_imports(path) & set(LAYERS) - {app})
    return graph


def test_every_project_package_has_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"shop"}
    assert packages <= set(LAYERS), f"add {sorted(packages - set(LAYERS))} to LAYERS"


def test_apps_import_only_apps_below_them():
    wrong = [
        f"{app} imports {other}"
        for app, others in sorted(_app_imports().items())
        for other in sorted(others)
        if LAYERS[other] >= LAYERS[app]
    ]
    assert wrong == []
