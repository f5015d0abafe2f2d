import re

import pytest

from accounts.tests.factories import UserFactory
from lists.owners import Owner
from lists.viewed import VIEWED_LIMIT, viewed_ids, viewed_merge_guest, viewed_record

pytestmark = pytest.mark.django_db
GUEST = Owner(session_key="guest-session")


def _shown(html: str) -> list[int]:
    return [int(pk) for pk in dict.fromkeys(re.findall(r'name="product" value="(\d+)"', html))]


def test_viewed_keeps_the_last_twelve_latest_first_without_repeats():
    for pk in range(1, 16):
        viewed_record(owner=GUEST, product_id=pk)
    viewed_record(owner=GUEST, product_id=10)

    assert viewed_ids(owner=GUEST) == [10, 15, 14, 13, 12, 11, 9, 8, 7, 6, 5, 4]
    assert len(viewed_ids(owner=GUEST)) == VIEWED_LIMIT


def test_viewed_of_a_guest_joins_the_account_at_login():
    customer = UserFactory()
    account = Owner(user_id=customer.pk)
    viewed_record(owner=account, product_id=1)
    viewed_record(owner=GUEST, product_id=2)

    viewed_merge_guest(session_key="guest-session", user=customer)

    assert viewed_ids(owner=account) == [2, 1]
    assert viewed_ids(owner=GUEST) == []


def test_the_product_page_records_itself_and_shows_the_others(client, make_products):
    products = make_products(3)
    for product in products:
        page = client.get(product.get_absolute_url()).content.decode()
        assert 'data-viewed data-url="/viewed/"' in page
        html = client.get("/viewed/", {"current": product.pk, "back": product.get_absolute_url()}).content.decode()

    assert _shown(html) == [products[1].pk, products[0].pk]
    assert not re.search(r'\sid="product-\d+"', html)  # the page's own cards keep their ids unique
    assert f'value="{products[2].get_absolute_url()}#product-{products[1].pk}"' in html


def test_viewed_follows_the_customer_to_another_device(client, make_products):
    products = make_products(2)
    customer = UserFactory()
    client.force_login(customer)
    client.get("/viewed/", {"current": products[0].pk})

    other = client.__class__()
    other.force_login(customer)
    assert _shown(other.get("/viewed/").content.decode()) == [products[0].pk]


@pytest.mark.parametrize("query", [{"current": "abc"}, {"current": "9" * 40}, {"back": "//evil.example"}, {}])
def test_viewed_survives_bad_input(client, query):
    response = client.get("/viewed/", query)

    assert response.status_code == 200
    assert response.content == b""


def test_viewed_answers_with_one_query_for_the_products(client, make_products, django_assert_max_num_queries):
    products = make_products(12)
    for product in products:
        client.get("/viewed/", {"current": product.pk})
    client.get("/viewed/")

    with django_assert_max_num_queries(1):
        html = client.get("/viewed/").content.decode()
    assert len(_shown(html)) == 12
