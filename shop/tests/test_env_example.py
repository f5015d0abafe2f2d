"""`.env.example` lists the settings, and a copy of it as `.env` serves the demo shop."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACTIVE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


def _active_lines() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if match := ACTIVE.match(line):
            values[match[1]] = match[2]
    return values


def test_a_copy_of_env_example_runs_the_demo_shop():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))}
    env.update(_active_lines())
    env["DJANGO_SETTINGS_MODULE"] = "shop.settings.local"
    script = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.SHOP_DEMO_DATA_ALLOWED)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["django.db.backends.sqlite3", "True"]


def test_env_example_names_every_setting_the_code_reads():
    names = set()
    for path in (ROOT / "shop" / "settings").glob("*.py"):
        names |= set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", path.read_text(encoding="utf-8")))
    listed = set(
        re.findall(
            r"^#?\s*(?:production:\s*)?([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M
        )
    )
    assert names - listed == set()
