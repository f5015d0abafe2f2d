"""No public form and no GET filter answers 500, whatever is typed into it.

The test client re-raises any exception a view lets escape, so an answer of 500 fails the example.
"""

import pytest
from django.contrib import admin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from catalog.models import Category
from catalog.tests.factories import BrandFactory, ProductFactory, StockFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["0", "-1", "1e309", "NaN", "inf", "3000000000", "9999", "0x10", "1.5", "١٢", " 7 "]),
)
values = st.one_of(st.text(max_size=40), numbers, st.sampled_from(["", "\x00", "'", "%", "on", "true", "../"]))


def _query(names):
    keys = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=20))
    return st.dictionaries(keys, st.lists(values, min_size=1, max_size=3), max_size=6)


def _form(names):
    keys = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12))
    return st.dictionaries(keys, values, max_size=len(names) + 2)


@pytest.fixture
def shop():
    category = Category.objects.get(slug="videonablyudenie")
    brand = BrandFactory(name="Hikvision", slug="hikvision")
    product = ProductFactory(name="Камера Hikvision DS-2CD1043", category=category, brand=brand)
    StockFactory(product=product, quantity=5)
    return product


def _answers(response) -> None:
    assert response.status_code < 500


CATEGORY_FILTERS = ["brand", "price_min", "price_max", "in_stock", "sort", "page", "a_resolution", "a_power"]


@FUZZ
@given(params=_query(CATEGORY_FILTERS))
def test_category_filters_never_answer_500(client, shop, params):
    _answers(client.get("/catalog/videonablyudenie/", params))


@FUZZ
@given(params=_query(["q", "page"]))
def test_search_never_answers_500(client, shop, params):
    _answers(client.get("/search/", params))


PUBLIC_FORMS = {
    "/accounts/signup/": ["login", "password1", "account_type", "consent", "first_name", "region", "inn", "kpp"],
    "/accounts/login/": ["login", "password", "remember"],
    "/accounts/login/code/": ["email", "phone"],
    "/accounts/password/reset/": ["email"],
    "/cart/add/": ["product", "quantity", "next"],
}


@pytest.mark.parametrize("path", list(PUBLIC_FORMS))
def test_public_forms_never_answer_500(client, shop, path):
    @FUZZ
    @given(data=_form(PUBLIC_FORMS[path]))
    def post(data):
        _answers(client.post(path, data))

    post()


def test_profile_form_never_answers_500(client, shop):
    client.force_login(UserFactory())
    names = ["first_name", "region", "object_type", "interests", "inn", "kpp", "company_name", "action"]

    @FUZZ
    @given(data=_form(names))
    def post(data):
        _answers(client.post("/accounts/profile/", data))

    post()


def _admin_filter_names(model_admin) -> list[str]:
    names = ["q", "o", "p", "e", "all"]
    for entry in model_admin.list_filter:
        field = entry[0] if isinstance(entry, tuple) else entry
        if isinstance(field, str):
            names += [field, f"{field}__exact", f"{field}__id__exact", f"{field}__isempty"]
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return names


@pytest.mark.parametrize(
    "model_admin", list(admin.site._registry.values()), ids=lambda a: f"{a.opts.app_label}.{a.opts.model_name}"
)
def test_admin_list_filters_never_answer_500(client, shop, django_user_model, model_admin):
    client.force_login(django_user_model.objects.create_superuser(email="admin@example.com", password="x-pass-123"))
    url = f"/admin/{model_admin.opts.app_label}/{model_admin.opts.model_name}/"

    @settings(FUZZ, max_examples=40)
    @given(params=_query(_admin_filter_names(model_admin)))
    def browse(params):
        _answers(client.get(url, params))

    browse()
