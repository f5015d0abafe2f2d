"""Query budgets of the service pages: fixed, not growing with the number of requests, files or slots."""

import pytest

from accounts.tests.factories import UserFactory
from service.models import EstimateLine, InstallationStatusChange, RepairStatusChange, WorkLine
from service.tests.factories import (
    InstallationRequestFactory,
    RepairRequestFactory,
    ServiceSlotFactory,
    TechnicianFactory,
    region,
    tomorrow_at,
)

pytestmark = pytest.mark.django_db

# User (the session comes from the cache), cart count and the category menu (3 queries of the context
# processors, 4 in all), then the page's own: repairs and installations; a request with its history and
# files; purchases, regions, centres, slots and the zone.
LIST_QUERIES = 6
DETAIL_QUERIES = 8
# An installation: the 4 above, then the request, its history, their authors, its estimate lines, their packages
# and its final agreed lines.
INSTALLATION_DETAIL_QUERIES = 10
REPAIR_FORM_QUERIES = 10


@pytest.fixture
def customer(client):
    user = UserFactory(region=region("77"))
    client.force_login(user)
    return user


@pytest.mark.parametrize("count", [5, 50])
def test_request_list_queries_do_not_grow(client, customer, django_assert_num_queries, count):
    RepairRequestFactory.create_batch(count, user=customer)
    InstallationRequestFactory.create_batch(count, user=customer)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/service/requests/")

    assert response.content.decode().count('class="list-group-item') == 2 * count


@pytest.mark.parametrize("count", [5, 50])
def test_request_page_queries_do_not_grow_with_history(client, customer, django_assert_num_queries, count):
    repair = RepairRequestFactory(user=customer)
    RepairStatusChange.objects.bulk_create(
        RepairStatusChange(request=repair, status="confirmed", author=customer) for _ in range(count)
    )

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(repair.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_repair_form_queries_do_not_grow_with_slots(client, customer, django_assert_num_queries, count):
    technician = TechnicianFactory()
    for i in range(count):
        ServiceSlotFactory(technician=technician, starts_at=tomorrow_at(0) + i * (tomorrow_at(3) - tomorrow_at(0)))

    with django_assert_num_queries(REPAIR_FORM_QUERIES):
        response = client.get("/service/repair/new/")

    assert response.content.decode().count('name="slot"') == count


@pytest.mark.parametrize("count", [5, 50])
def test_installation_page_queries_do_not_grow_with_estimate_and_final_lines(
    client, customer, django_assert_num_queries, count
):
    installation = InstallationRequestFactory(user=customer, status="handed_over", act="acts/act-U-900000.pdf")
    EstimateLine.objects.bulk_create(
        EstimateLine(
            request=installation,
            package=installation.package,
            section="works",
            name=f"Работа {i}",
            unit="шт",
            quantity=1,
            price=100,
            total=100,
        )
        for i in range(count)
    )
    WorkLine.objects.bulk_create(
        WorkLine(request=installation, section="works", name=f"Сделано {i}", unit="шт", quantity=1, price=100)
        for i in range(count)
    )
    InstallationStatusChange.objects.create(request=installation, status="handed_over", author=customer)

    with django_assert_num_queries(INSTALLATION_DETAIL_QUERIES):
        response = client.get(installation.get_absolute_url())

    assert response.content.decode().count("Работа ") == count
    assert response.content.decode().count("Сделано ") == count
    assert "Акт выполненных работ (PDF)" in response.content.decode()
