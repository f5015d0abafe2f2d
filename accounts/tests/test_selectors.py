import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.context_processors import customer
from accounts.tests.factories import CompanyUserFactory, UserFactory
from catalog.models import Category, ObjectType
from catalog.selectors import user_recommendations
from catalog.tests.factories import CategoryFactory, KitComponentFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """Kits and cameras for flats and offices, plus things a CCTV buyer did not ask for."""
    flat = ObjectType.objects.get(slug="apartment")
    office = ObjectType.objects.get(slug="office")
    kits = CategoryFactory(parent=Category.objects.get(slug="gotovye-komplekty"), name="Комплекты")
    cameras = CategoryFactory(parent=Category.objects.get(slug="videonablyudenie"), name="IP-камеры")
    alarms = CategoryFactory(parent=Category.objects.get(slug="okhrannaya-signalizatsiya"), name="Панели")
    sensors = CategoryFactory(parent=Category.objects.get(slug="datchiki"), name="Протечка")

    def product(name, category, popularity, object_types=()):
        item = ProductFactory(name=name, category=category, popularity=popularity)
        item.object_types.set(object_types)
        return item

    camera = product("Камера уличная", cameras, 200)
    flat_camera = product("Камера для квартиры", cameras, 50, [flat])
    flat_cctv_kit = product("Комплект видеонаблюдения для квартиры", kits, 1, [flat])
    office_cctv_kit = product("Комплект видеонаблюдения для офиса", kits, 100, [office])
    flat_alarm_kit = product("Комплект сигнализации для квартиры", kits, 300, [flat])
    product("Датчик протечки", sensors, 999, [flat])
    alarm_panel = product("Панель сигнализации", alarms, 10)
    KitComponentFactory(kit=flat_cctv_kit, product=camera)
    KitComponentFactory(kit=office_cctv_kit, product=camera)
    KitComponentFactory(kit=flat_alarm_kit, product=alarm_panel)
    return {
        "flat": flat,
        "cctv": Category.objects.get(slug="videonablyudenie"),
        "cameras": cameras,
        "expected": [flat_cctv_kit, flat_camera, office_cctv_kit, camera],
    }


def test_recommendations_put_apartment_cctv_kits_first_for_a_flat_with_cctv_interest(shelf):
    user = UserFactory(object_type=shelf["flat"])
    user.interests.set([shelf["cctv"]])
    products = user_recommendations(user=user)
    assert [p.name for p in products] == [p.name for p in shelf["expected"]]
    assert all(hasattr(p, "availability") for p in products)


def test_recommendations_respect_the_limit(shelf):
    user = UserFactory(object_type=shelf["flat"])
    user.interests.set([shelf["cctv"]])
    assert [p.pk for p in user_recommendations(user=user, limit=2)] == [p.pk for p in shelf["expected"][:2]]


def test_recommendations_by_object_type_alone_show_products_for_that_object(shelf):
    user = UserFactory(object_type=shelf["flat"])
    names = [p.name for p in user_recommendations(user=user)]
    assert names[0] == "Комплект сигнализации для квартиры"
    assert set(names) == {
        "Комплект сигнализации для квартиры",
        "Комплект видеонаблюдения для квартиры",
        "Датчик протечки",
        "Камера для квартиры",
    }


def test_recommendations_are_empty_for_guests_and_customers_without_preferences(shelf):
    assert user_recommendations(user=AnonymousUser()) == []
    assert user_recommendations(user=UserFactory()) == []


@pytest.mark.parametrize("extra", [5, 50])
def test_recommendations_cost_a_fixed_number_of_queries(shelf, extra):
    for _ in range(extra):
        ProductFactory(category=shelf["cameras"])
    user = UserFactory(object_type=shelf["flat"])
    user.interests.set([shelf["cctv"]])
    user_recommendations(user=user)  # warm the category tree cache
    with CaptureQueriesContext(connection) as queries:
        assert len(user_recommendations(user=user)) == 8
    assert len(queries) == 2  # interests, products (pictures: catalog.cards, only for cards not cached)


def test_customer_context_marks_company_buyers_as_b2b(rf, django_assert_num_queries):
    request = rf.get("/")
    request.user = CompanyUserFactory()
    request.user = type(request.user).objects.get(pk=request.user.pk)
    with django_assert_num_queries(1):
        context = customer(request)
    assert context["is_b2b"] is True
    assert context["customer_company"].name == "ПАО Сбербанк"


def test_customer_context_costs_nothing_for_a_person_or_guest(rf, django_assert_num_queries):
    request = rf.get("/")
    request.user = UserFactory()
    with django_assert_num_queries(0):
        assert customer(request) == {"is_b2b": False, "customer_company": None}
    request.user = AnonymousUser()
    assert customer(request) == {"is_b2b": False, "customer_company": None}


def test_home_page_recommends_apartment_cctv_kits_first_after_signup(client, shelf):
    client.post(
        "/accounts/signup/",
        {
            "login": "+7 916 123-45-67",
            "password1": "Ohrana-Plus-2025!",
            "account_type": "person",
            "consent": "on",
            "object_type": shelf["flat"].pk,
            "interests": [shelf["cctv"].pk],
        },
    )
    html = client.get("/").content.decode()
    section = html[html.index('data-testid="recommendations"') :]
    assert "Рекомендуем для вас" in section
    assert section.index("Комплект видеонаблюдения для квартиры") < section.index("Камера для квартиры")


def test_company_buyer_sees_prices_with_vat(client, shelf):
    client.force_login(CompanyUserFactory(object_type=shelf["flat"]))
    html = client.get("/").content.decode()
    assert "в т.ч. НДС 22%" in html
    client.force_login(UserFactory(object_type=shelf["flat"]))
    assert "в т.ч. НДС 22%" not in client.get("/").content.decode()
