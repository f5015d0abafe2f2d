"""The search vocabulary (the known words typos are corrected to) is kept current by every path that writes
products: the admin, the importer and seed_demo all rebuild the search index through product_refresh_search."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from catalog.models import Category, Product
from catalog.search import search_hits, vocabulary_words
from catalog.services import product_refresh_search, products_delete, products_set_active
from catalog.tests.factories import BrandFactory, CategoryFactory, ProductFactory
from catalog.tests.test_admin import ADD_URL, product_form
from catalog.tests.test_importing import HEADER, run_import

pytestmark = pytest.mark.django_db


def vocabulary() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM catalog_searchword")
        return {row[0] for row in cursor.fetchall()}


def found(query: str) -> list[str]:
    ids = search_hits(query=query).ids
    by_id = dict(Product.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [by_id[pk] for pk in ids]


def test_vocabulary_words_are_the_words_of_three_letters_or_more():
    text = "Камера Hikvision DS-2CD2043G2-I 4 Мп, 2.8 мм, Wi-Fi; ёлка"

    assert vocabulary_words(text) == {"камера", "hikvision", "елка"}


@pytest.mark.postgres
def test_refresh_adds_the_new_words_of_a_product_to_the_vocabulary():
    brand = BrandFactory(name="Tantos", slug="tantos")
    product = ProductFactory(name="Домофон Tantos Amelie", sku="TS-1", brand=brand)
    product_refresh_search(product_ids=[product.pk])
    before = vocabulary()

    product.name = "Домофон Tantos Marilyn"
    product.save()
    product_refresh_search(product_ids=[product.pk])

    assert {"домофон", "tantos", "amelie"} <= before and "marilyn" not in before
    assert vocabulary() == before | {"marilyn"}
    assert found("домофон merilyn") == ["Домофон Tantos Marilyn"]


@pytest.mark.postgres
def test_a_typo_finds_a_product_added_through_the_admin(client, django_user_model, django_capture_on_commit_callbacks):
    admin = django_user_model.objects.create_superuser(email="admin@example.com", password="admin-pass-123")
    client.force_login(admin)
    assert found("камера hikvisoin") == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, product_form())

    assert response.status_code == 302
    assert {"камера", "hikvision"} <= vocabulary()
    assert found("камера hikvisoin") == ["Камера Hikvision DS-2CD1043G2-I"]


@pytest.mark.postgres
def test_a_typo_finds_a_product_added_by_the_importer(tmp_path):
    CategoryFactory(name="IP-камеры", slug="ip-kamery", parent=Category.objects.get(slug="videonablyudenie"))

    row = "HW-1,IP-камера HiWatch DS-I200 2 Мп,ip-kamery,HiWatch,4290,,22,36,,да"
    status, _out, _err = run_import(tmp_path, f"{HEADER}\n{row}\n")

    assert status == 0
    assert "hiwatch" in vocabulary()
    assert found("камера hiwach") == ["IP-камера HiWatch DS-I200 2 Мп"]


@pytest.mark.postgres
def test_seed_demo_fills_the_vocabulary_with_the_words_of_generated_products():
    call_command("seed_demo", "--products", "40", stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0)

    expected = set().union(*(vocabulary_words(text) for text in Product.objects.values_list("search_text", flat=True)))
    assert expected and vocabulary() == expected


@pytest.mark.postgres
def test_a_typo_does_not_find_a_product_taken_off_sale_or_deleted():
    kept = ProductFactory(name="Домофон Tantos Amelie", sku="TS-1", popularity=2)
    hidden = ProductFactory(name="Домофон Tantos Marilyn", sku="TS-2", popularity=1)
    gone = ProductFactory(name="Домофон Tantos Prime", sku="TS-3")
    product_refresh_search()
    assert set(found("домофон tantoss")) == {kept.name, hidden.name, gone.name}

    products_set_active(product_ids=[hidden.pk], is_active=False)
    products_delete(product_ids=[gone.pk])

    assert found("домофон tantoss") == [kept.name]


@pytest.mark.postgres
def test_a_word_of_letters_stands_for_its_known_spellings_but_a_code_is_not_corrected():
    ProductFactory(name="Датчик протечки Ajax AJ-094496, Jeweller", sku="AJ-094496")
    ProductFactory(name="Датчик протечки Ajax AJ-094497, Jeweller", sku="AJ-094497")
    product_refresh_search()

    assert found("aj-094496 jeweler") == ["Датчик протечки Ajax AJ-094496, Jeweller"]
    assert found("aj-094498 jeweller") == []
