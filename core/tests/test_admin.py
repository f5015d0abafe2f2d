import pytest
from django.contrib import admin

from core.admin import BoundedDateHierarchyChangeList

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="admin@example.com", password="admin-pass-1"))
    return client


def test_every_date_hierarchy_in_the_admin_is_bounded(rf):
    for model, model_admin in admin.site._registry.items():
        if model_admin.date_hierarchy:
            assert model_admin.get_changelist(rf.get("/")) is BoundedDateHierarchyChangeList, model.__name__


@pytest.mark.parametrize(
    "query",
    [
        "updated_at__year=3000000000",
        "updated_at__year=9999",
        "updated_at__year=9999&updated_at__month=12",
        "updated_at__year=2026&updated_at__month=99",
        "updated_at__year=2026&updated_at__month=2&updated_at__day=31",
        "updated_at__year=-1",
        "updated_at__year=%D9%A3",
    ],
)
def test_a_nonsense_date_in_the_cart_list_redirects_instead_of_failing(staff_client, query):
    response = staff_client.get(f"/admin/cart/cart/?{query}")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_a_real_date_in_the_cart_list_filters(staff_client):
    assert staff_client.get("/admin/cart/cart/?updated_at__year=2026&updated_at__month=2").status_code == 200
