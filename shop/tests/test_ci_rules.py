"""The suite's own rules under CI: no skipped test passes unnoticed."""

from pathlib import Path

from _pytest.reports import TestReport

from conftest import fail_skipped

ROOT = Path(__file__).resolve().parents[2]


def _report(outcome, longrepr=None, **extra):
    report = TestReport("t.py::test", ("t.py", 1, "test"), {}, outcome, longrepr, "call")
    for key, value in extra.items():
        setattr(report, key, value)
    return report


def test_a_skip_becomes_a_failure_naming_its_reason():
    report = _report("skipped", ("t.py", 1, "Skipped: needs Redis"))
    fail_skipped(report)
    assert (report.outcome, report.longrepr) == ("failed", "CI=true forbids skipped tests: Skipped: needs Redis")


def test_passes_and_expected_failures_stay_as_they_are():
    passed = _report("passed")
    xfailed = _report("skipped", ("t.py", 1, "xfail"), wasxfail="known bug")
    fail_skipped(passed)
    fail_skipped(xfailed)
    assert (passed.outcome, xfailed.outcome) == ("passed", "skipped")


def test_ci_runs_lint_and_the_migrations_check_before_the_suite():
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert commands.index("make lint") < commands.index("make migrations-check") < commands.index("make test")
