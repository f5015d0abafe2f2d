"""The warranty check, a repair's preliminary cost and installation estimates: pure functions, no database."""

import datetime
from decimal import Decimal

import pytest

from service.pricing import (
    WARRANTY_AT_INTAKE,
    WARRANTY_FREE,
    WARRANTY_NOT_OURS,
    WARRANTY_UNKNOWN,
    ObjectSurvey,
    Package,
    Rule,
    WarrantyVerdict,
    add_months,
    devices_needed,
    installation_estimate,
    repair_quote,
    repair_warranty,
    warranty_check,
)

TODAY = datetime.date(2026, 11, 24)
WARRANTY_EXPIRED_23_11 = "Гарантия закончилась 23.11.2026: ремонт платный"
D = Decimal


@pytest.mark.parametrize(
    ("source", "purchased", "months", "is_warranty", "message"),
    [
        ("ours", datetime.date(2026, 1, 10), 12, True, WARRANTY_FREE),
        ("ours", datetime.date(2025, 11, 24), 12, True, WARRANTY_FREE),  # the last day is covered
        ("ours", datetime.date(2025, 11, 23), 12, False, "Гарантия закончилась 23.11.2026: ремонт платный"),
        ("ours", datetime.date(2024, 12, 1), 24, True, WARRANTY_FREE),
        ("ours", None, 12, False, WARRANTY_UNKNOWN),
        ("ours", datetime.date(2026, 1, 10), None, False, WARRANTY_UNKNOWN),
        ("ours", datetime.date(2026, 12, 1), 12, False, WARRANTY_UNKNOWN),  # bought in the future
        ("other_shop", datetime.date(2026, 10, 1), 12, False, WARRANTY_NOT_OURS),
        ("other", datetime.date(2026, 10, 1), 12, False, WARRANTY_NOT_OURS),
    ],
)
def test_warranty_check(source, purchased, months, is_warranty, message):
    verdict = warranty_check(source=source, purchase_date=purchased, warranty_months=months, today=TODAY)

    assert (verdict.is_warranty, verdict.message) == (is_warranty, message)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 11, 24), 12, datetime.date(2026, 11, 24)),
        (datetime.date(2025, 12, 15), 14, datetime.date(2027, 2, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_repair_quote_under_warranty_is_free():
    quote = repair_quote(
        verdict=WarrantyVerdict(True, WARRANTY_FREE), is_visit=True, diagnostics_fee=D("1500"), visit_fee=D("900")
    )

    assert (quote.is_warranty, quote.total) == (True, D("0.00"))


@pytest.mark.parametrize(("is_visit", "total"), [(True, D("2400.00")), (False, D("1500.00"))])
def test_paid_repair_costs_diagnostics_plus_the_visit_fee_for_a_visit(is_visit, total):
    quote = repair_quote(
        verdict=WarrantyVerdict(False, WARRANTY_NOT_OURS),
        is_visit=is_visit,
        diagnostics_fee=D("1500"),
        visit_fee=D("900"),
    )

    assert quote.total == total


BASIC = Package("basic", "Базовый", D("0.6"))
OPTIMAL = Package("optimal", "Оптимальный", D("1"))
PREMIUM = Package("premium", "Премиум", D("1.5"))

RULES = [
    Rule("works", "Монтаж камеры", "device", D("2500"), goal="video", area_per_device=D("50")),
    Rule("works", "Монтаж датчика", "device", D("800"), goal="alarm", area_per_device=D("25")),
    Rule("works", "Монтаж считывателя", "device", D("3000"), goal="access", area_per_device=D("200")),
    Rule("works", "Прокладка кабеля", "m2", D("60"), quantity=D("0.6"), unit="м"),
    Rule("works", "Межэтажная трасса", "floor", D("1500")),
    Rule("works", "Настройка", "fixed", D("1800"), quantity=D("2"), unit="ч", hourly=True),
    Rule("works", "Защита серверной", "fixed", D("5000"), object_type="warehouse"),
    Rule("materials", "Кабель", "m2", D("35"), quantity=D("0.6"), unit="м"),
    Rule("extras", "Облачная запись", "monthly", D("490"), goal="video", packages=frozenset({"optimal", "premium"})),
    Rule("extras", "Удалённый доступ", "monthly", D("290"), packages=frozenset({"premium"})),
]


def names(estimate):
    return [line.name for line in estimate.lines]


@pytest.mark.parametrize(
    ("area", "floors", "coverage", "expected"),
    [(100, 1, D("1"), 2), (101, 1, D("1"), 3), (100, 1, D("0.6"), 2), (30, 3, D("1"), 3), (200, 2, D("1.5"), 6)],
)
def test_devices_cover_the_area_and_at_least_one_per_floor(area, floors, coverage, expected):
    assert devices_needed(area_m2=area, floors=floors, area_per_device=D("50"), coverage=coverage) == expected


@pytest.mark.parametrize(
    ("object_type", "area", "floors", "goals", "package", "one_time", "monthly"),
    [
        # 2 cameras 5 000 + cable 60 m 3 600 + 1 floor 1 500 + setup 3 600 + cable 2 100
        ("apartment", 100, 1, {"video"}, OPTIMAL, D("15800.00"), D("490.00")),
        # Basic: 60 m² → 2 cameras (one per floor minimum is 1), no cloud
        ("apartment", 100, 1, {"video"}, BASIC, D("15800.00"), D("0.00")),
        # Premium: 150 m² coverage → 3 cameras, cloud and remote access
        ("apartment", 100, 1, {"video"}, PREMIUM, D("18300.00"), D("780.00")),
        # A 2-floor house, alarm: 10 sensors 8 000 + cable 150 m 9 000 + floors 3 000 + setup 3 600 + cable 5 250
        ("house", 250, 2, {"alarm"}, OPTIMAL, D("28850.00"), D("0.00")),
        # A warehouse: 8 cameras 20 000 + 2 readers 6 000 + laying 14 400 + 1 500 + 3 600 + server room 5 000
        # + cable 8 400
        ("warehouse", 400, 1, {"video", "access"}, OPTIMAL, D("58900.00"), D("490.00")),
        # An office, sensors only: no device rule for sensors, so cable, floor and setup
        ("office", 50, 1, {"sensors"}, OPTIMAL, D("7950.00"), D("0.00")),
    ],
)
def test_installation_estimate(object_type, area, floors, goals, package, one_time, monthly):
    survey = ObjectSurvey(object_type=object_type, area_m2=area, floors=floors, goals=frozenset(goals))

    estimate = installation_estimate(survey=survey, rules=RULES, package=package)

    assert (estimate.one_time_total, estimate.monthly_total) == (one_time, monthly)


def test_estimate_lines_follow_goals_object_type_and_package():
    survey = ObjectSurvey(object_type="warehouse", area_m2=400, floors=1, goals=frozenset({"video", "access"}))

    estimate = installation_estimate(survey=survey, rules=RULES, package=PREMIUM)

    assert names(estimate) == [
        "Монтаж камеры",
        "Монтаж считывателя",
        "Прокладка кабеля",
        "Межэтажная трасса",
        "Настройка",
        "Защита серверной",
        "Кабель",
        "Облачная запись",
        "Удалённый доступ",
    ]
    camera = estimate.lines[0]
    assert (camera.quantity, camera.price, camera.total) == (D("12.00"), D("2500"), D("30000.00"))


def test_fractional_quantities_round_up_to_hundredths_and_totals_to_kopecks():
    rule = Rule("materials", "Кабель", "m2", D("35.50"), quantity=D("0.333"), unit="м")
    survey = ObjectSurvey(object_type="apartment", area_m2=10, floors=1, goals=frozenset({"video"}))

    line = installation_estimate(survey=survey, rules=[rule], package=OPTIMAL).lines[0]

    assert (line.quantity, line.total) == (D("3.33"), D("118.22"))


def test_estimate_without_goals_is_empty():
    survey = ObjectSurvey(object_type="apartment", area_m2=60, floors=1, goals=frozenset())

    assert installation_estimate(survey=survey, rules=RULES, package=OPTIMAL).lines == []


@pytest.mark.parametrize(
    ("source", "from_our_order", "handed_over", "months", "expected"),
    [
        ("ours", True, datetime.date(2026, 1, 10), 12, (True, False, WARRANTY_FREE)),
        ("ours", True, datetime.date(2025, 11, 23), 12, (False, False, WARRANTY_EXPIRED_23_11)),
        # «Куплено у нас» with a SKU and a date, but no line of the customer's order behind it.
        ("ours", False, datetime.date(2026, 1, 10), 12, (False, True, WARRANTY_AT_INTAKE)),
        ("ours", False, None, None, (False, True, "Гарантию проверим при приёме")),
        ("other_shop", False, datetime.date(2026, 10, 1), 12, (False, False, WARRANTY_NOT_OURS)),
    ],
    ids=["our-order-in-warranty", "our-order-expired", "ours-by-word", "ours-nothing-known", "other-shop"],
)
def test_repair_warranty_is_free_only_for_a_line_of_our_order(source, from_our_order, handed_over, months, expected):
    verdict = repair_warranty(
        source=source, from_our_order=from_our_order, handed_over_on=handed_over, warranty_months=months, today=TODAY
    )

    assert (verdict.is_warranty, verdict.pending, verdict.message) == expected


def test_a_pending_verdict_keeps_the_preliminary_cost():
    verdict = WarrantyVerdict(False, WARRANTY_AT_INTAKE, pending=True)

    quote = repair_quote(verdict=verdict, is_visit=True, diagnostics_fee=D("1500"), visit_fee=D("900"))

    assert (quote.is_warranty, quote.total) == (False, D("2400.00"))
