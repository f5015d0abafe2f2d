"""Service pages on a phone: the verdict and the button before the times, human empty choices, agreeing plurals."""

import pytest

from service.models import EstimateLine
from service.templatetags.service_tags import quantity_unit
from service.tests.factories import (
    EstimateRuleFactory,
    InstallationRequestFactory,
    ServiceSlotFactory,
    region,
    tomorrow_at,
)
from service.tests.test_views import INSTALL_URL, REPAIR_URL, install_post

pytestmark = pytest.mark.django_db


def test_the_verdict_cost_and_button_come_before_the_list_of_times(client, customer, moscow_service):
    html = client.get(REPAIR_URL).content.decode()

    positions = [
        html.index('data-testid="warranty-verdict"'),
        html.index('data-testid="repair-total"'),
        html.index(">Подтвердить заявку</button>"),
        html.index('data-testid="service-slots"'),
    ]
    assert positions == sorted(positions)
    # The form's own fields come first: what, what is wrong, where; then the verdict.
    assert html.index('name="symptoms"') < html.index('name="address"') < positions[0]


def test_times_are_a_row_of_days_then_each_days_times_with_the_earliest_chosen(
    client,
    customer,
    moscow_service,
):
    technician = moscow_service["technician"]
    later_today = ServiceSlotFactory(technician=technician, starts_at=tomorrow_at(14))
    next_day = ServiceSlotFactory(technician=technician, starts_at=tomorrow_at(9, days=2))

    html = client.get(REPAIR_URL).content.decode()

    picker = html.split('data-testid="service-slots"')[1].split("</fieldset>")[0]
    assert picker.count('name="slot_day"') == 2
    assert "2 времени" in picker and "1 время" in picker
    first = moscow_service["visit_slot"]
    assert f'id="slot-{first.pk}" value="{first.pk}"\n                       checked' in picker
    assert picker.index(f'value="{first.pk}"') < picker.index(f'value="{later_today.pk}"')
    assert picker.index(f'value="{later_today.pk}"') < picker.index(f'value="{next_day.pk}"')
    assert "Время: " in html.split('data-testid="chosen-slot"')[1].split("</p>")[0]


def test_a_chosen_time_on_another_day_opens_that_day(client, customer, moscow_service):
    next_day = ServiceSlotFactory(technician=moscow_service["technician"], starts_at=tomorrow_at(9, days=2))

    html = client.post(
        REPAIR_URL, {"region": region("77").pk, "slot": str(next_day.pk), "action": "refresh"}
    ).content.decode()

    picker = html.split('data-testid="service-slots"')[1]
    day = next_day.starts_at.date().isoformat()
    assert f'value="{day}" autocomplete="off"\n                   checked' in picker
    assert f'value="{next_day.pk}"\n                       checked' in picker


@pytest.mark.parametrize(
    ("url", "empties"),
    [
        (REPAIR_URL, ["Выберите регион", "Выберите сервис-центр"]),
        (INSTALL_URL, ["Выберите регион"]),
    ],
)
def test_empty_choices_speak_russian(client, customer, moscow_service, url, empties):
    html = client.get(url).content.decode()

    assert "---------" not in html
    for text in empties:
        assert f'<option value="">{text}</option>' in html or f'<option value="" selected>{text}</option>' in html


@pytest.mark.parametrize(
    ("quantity", "unit", "shown"),
    [
        ("1", "этаж", "1 этаж"),
        ("2", "этаж", "2 этажа"),
        ("5", "этаж", "5 этажей"),
        ("21", "этаж", "21 этаж"),
        ("1.5", "этаж", "1,5 этажа"),
        ("2", "объект", "2 объекта"),
        ("72.00", "м", "72 м"),
        ("3", "шт", "3 шт"),
    ],
)
def test_quantities_agree_with_their_units(quantity, unit, shown):
    assert quantity_unit(quantity, unit) == shown


def test_the_installation_estimate_says_2_floors(client, customer, moscow_service, packages_and_rules):
    EstimateRuleFactory(name="Межэтажная трасса", basis="floor", goal="", area_per_device=None, unit="этаж")

    html = client.post(
        INSTALL_URL, install_post(moscow_service, packages_and_rules, floors="2", action="refresh")
    ).content.decode()

    assert "2 этажа ×" in html
    assert "2 этаж ×" not in html


def test_the_request_page_says_2_floors(client, customer):
    installation = InstallationRequestFactory(user=customer, floors=2)
    EstimateLine.objects.create(
        request=installation,
        package=installation.package,
        section="works",
        name="Межэтажная трасса",
        unit="этаж",
        quantity=2,
        price=1500,
        total=3000,
    )

    html = client.get(installation.get_absolute_url()).content.decode()

    assert "2 этажа" in html and "2 этаж " not in html
