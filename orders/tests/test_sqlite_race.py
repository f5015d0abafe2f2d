"""The embedded SQLite default (WAL, IMMEDIATE transactions) under 20 concurrent buyers: no oversell, no lock errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_20_buyers_on_sqlite_for_5_units_make_exactly_5_orders(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    run = subprocess.run(
        [sys.executable, "-m", "orders.tests.sqlite_race", str(tmp_path / "race.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 0, run.stderr[-3000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["orders"] == outcome["placed"] == 5
    assert outcome["refused"] == 15
    assert len(outcome["errors"]) == 1 and outcome["errors"][0].endswith("закончился")
    assert outcome["reserved"] == 5
    assert outcome["drift"] == []
