"""The code reaches no private attribute of Django, psycopg or redis-py: an upgrade cannot break it silently."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", "media", "private_media", "tests", "migrations", "bench"}
# Underscored names Django documents as public API (Model._meta, managers, a manager's database, namedtuple).
DOCUMENTED = {"_meta", "_default_manager", "_base_manager", "_db", "_replace", "_asdict", "_fields", "_make"}
# Where a library other than Django, psycopg or redis-py offers no public hook, each with its reason.
ALLOWED = {
    # allauth counts failed logins under this key; the per-account key needs its override (README, «Accounts»).
    ("accounts/adapter.py", "_get_login_attempts_cache_key"),
}
ATTRIBUTE = re.compile(r"([\w\)\]]+)\.(_[a-z]\w*)")


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if not SKIPPED_DIRS.intersection(relative.parts):
            yield relative, path.read_text(encoding="utf-8")


def test_no_private_attribute_of_another_object_is_read_or_called():
    found = []
    for relative, text in _sources():
        for number, line in enumerate(text.splitlines(), 1):
            code = line.split("#", 1)[0]
            for owner, name in ATTRIBUTE.findall(code):
                if owner in ("self", "cls") or name in DOCUMENTED or (relative.as_posix(), name) in ALLOWED:
                    continue
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


def test_no_private_attribute_inherited_from_a_library_class_is_used():
    found = []
    for relative, text in _sources():
        used = set(re.findall(r"(?:self|cls)\.(_[a-z]\w*)", text))
        assigned = re.findall(r"^\s*([^=\n]+?)(?::[^=\n]+)?\s*=(?!=)", text, re.M)
        own = {name for target in assigned for name in re.findall(r"(?:self|cls)\.(_[a-z]\w*)", target)}
        own |= set(re.findall(r"def (_[a-z]\w*)", text)) | set(re.findall(r"^\s+(_[a-z]\w*)\s*[:=]", text, re.M))
        found += [f"{relative}: self.{name}" for name in sorted(used - own - DOCUMENTED)]
    assert found == []
