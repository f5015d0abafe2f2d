import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.models import Category, Product
from catalog.tests.factories import StockFactory
from lists.models import ListEntry, ListKind
from lists.owners import Owner
from lists.services import list_add

pytestmark = pytest.mark.django_db
FAVORITES_TOGGLE = "/favorites/toggle/"
COMPARE_TOGGLE = "/compare/toggle/"


def _header_ids(html: str, kind: str) -> list[int]:
    found = re.search(rf'data-lists-kind="{kind}" data-lists-ids="([\d ]*)"', html)
    return [int(pk) for pk in found.group(1).split()]


def test_a_guest_favourites_a_product_without_javascript_and_the_header_counts_it(client, cameras):
    product = cameras[0]
    page = product.get_absolute_url()

    response = client.post(FAVORITES_TOGGLE, {"product": product.pk, "back": page})

    assert response.status_code == 302
    assert response["Location"] == page
    html = client.get(page).content.decode()
    assert "Товар добавлен в избранное" in html
    assert _header_ids(html, "favorites") == [product.pk]
    assert 'data-testid="header-favorites"' in html


def test_a_second_toggle_takes_the_product_out(client, cameras):
    client.post(FAVORITES_TOGGLE, {"product": cameras[0].pk})
    client.post(FAVORITES_TOGGLE, {"product": cameras[0].pk})

    html = client.get("/favorites/").content.decode()
    assert "Товар убран из избранного" in html
    assert "В избранном пока ничего нет" in html


def test_the_script_gets_the_ids_as_json(client, cameras):
    response = client.post(COMPARE_TOGGLE, {"product": cameras[1].pk}, headers={"accept": "application/json"})

    assert response.json() == {
        "kind": "compare",
        "ids": [cameras[1].pk],
        "message": "Товар добавлен к сравнению",
        "error": False,
    }


@pytest.mark.parametrize("value", ["", "abc", "-1", "1.5", "٣", "9" * 30, "0"])
def test_bad_product_input_gets_a_russian_message_not_an_error(client, cameras, value):
    response = client.post(FAVORITES_TOGGLE, {"product": value}, follow=True)

    assert response.status_code == 200
    assert "Такого товара нет в каталоге." in response.content.decode()
    assert not ListEntry.objects.exists()


def test_bad_product_input_as_json_is_a_400_with_the_message(client):
    response = client.post(COMPARE_TOGGLE, {"product": "x"}, headers={"accept": "application/json"})

    assert response.status_code == 400
    assert response.json()["message"] == "Такого товара нет в каталоге."


def test_toggles_answer_only_post(client):
    assert client.get(FAVORITES_TOGGLE).status_code == 405
    assert client.get("/favorites/to-cart/").status_code == 405


def test_the_eleventh_camera_in_compare_is_refused_with_a_message(client, make_products):
    products = make_products(11)
    for product in products[:10]:
        client.post(COMPARE_TOGGLE, {"product": product.pk})

    response = client.post(COMPARE_TOGGLE, {"product": products[10].pk}, follow=True)

    assert "В сравнении уже 10 товаров этой категории" in response.content.decode()
    assert ListEntry.objects.filter(kind=ListKind.COMPARE).count() == 10


def test_compare_page_shows_one_table_per_category_and_only_differences(client, cameras, detector):
    for product in [*cameras, detector]:
        client.post(COMPARE_TOGGLE, {"product": product.pk})

    html = client.get("/compare/").content.decode()
    assert html.count('data-testid="compare-table"') == 2
    assert "Питание" in html
    assert html.count('data-testid="compare-best"') == 4  # 8 Мп, 50 м and IP67 twice
    assert "8 Мп" in html and "50 м" in html

    only = client.get("/compare/?diff=1").content.decode()
    assert "Питание" not in only
    assert "Разрешение" in only


def test_a_column_is_removed_from_the_compare_page(client, cameras):
    for product in cameras:
        client.post(COMPARE_TOGGLE, {"product": product.pk})

    response = client.post("/compare/remove/", {"product": cameras[0].pk, "back": "/compare/"}, follow=True)

    assert "Товар убран из сравнения" in response.content.decode()
    assert response.content.decode().count('data-testid="compare-product"') == 2


def test_nobody_removes_from_another_persons_list(client, cameras):
    other = UserFactory()
    list_add(owner=Owner(user_id=other.pk), kind=ListKind.FAVORITES, product_id=cameras[0].pk)
    client.post(FAVORITES_TOGGLE, {"product": cameras[1].pk})

    assert client.post("/favorites/remove/", {"product": cameras[0].pk}).status_code == 404
    assert client.post("/compare/remove/", {"product": "nope"}).status_code == 404
    html = client.get("/favorites/").content.decode()
    assert cameras[0].name not in html
    assert cameras[1].name in html
    assert ListEntry.objects.filter(user=other).count() == 1


def test_a_shared_comparison_shows_the_table_to_a_stranger_without_remove_buttons(client, cameras, detector):
    for product in [*cameras, detector]:
        client.post(COMPARE_TOGGLE, {"product": product.pk})
    html = client.get("/compare/").content.decode()
    share = re.search(r'data-testid="compare-share"', html) and re.search(r'value="(http[^"]+)"', html).group(1)
    path = share.split("testserver", 1)[1]

    stranger = client.__class__()
    shared = stranger.get(path).content.decode()

    assert shared.count('data-testid="compare-table"') == 2
    assert shared.count('data-testid="compare-product"') == 4
    assert "/compare/remove/" not in shared
    assert stranger.get(path[:-3] + "xx/").status_code == 404


def test_favourites_go_to_the_cart_at_once(client, cameras):
    for product in cameras:
        StockFactory(product=product, quantity=5)
        client.post(FAVORITES_TOGGLE, {"product": product.pk})

    response = client.post("/favorites/to-cart/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("cart:detail")
    assert "Добавлено в корзину: 3 шт." in response.content.decode()


def test_favourites_of_nothing_orderable_say_so(client, cameras):
    client.post(FAVORITES_TOGGLE, {"product": cameras[0].pk})  # no stock, not under order

    response = client.post("/favorites/to-cart/", follow=True)

    assert "Ни один товар из избранного сейчас нельзя заказать." in response.content.decode()


def test_favourites_page_notes_a_lower_price(client, cameras):
    from decimal import Decimal

    client.post(FAVORITES_TOGGLE, {"product": cameras[0].pk})
    cameras[0].price = Decimal("3990.00")
    cameras[0].save()

    html = client.get("/favorites/").content.decode()
    assert "Цена снизилась: было 4\xa0990\xa0₽" in html or "Цена снизилась: было 4 990 ₽" in html


def test_a_guests_lists_follow_them_into_the_account_at_login(client, cameras):
    client.post(FAVORITES_TOGGLE, {"product": cameras[0].pk})
    client.post(COMPARE_TOGGLE, {"product": cameras[1].pk})
    customer = UserFactory()

    client.force_login(customer)

    html = client.get("/favorites/").content.decode()
    assert cameras[0].name in html
    assert _header_ids(html, "compare") == [cameras[1].pk]
    assert ListEntry.objects.filter(user=customer).count() == 2


def test_a_customers_lists_are_the_same_on_another_device(client, cameras):
    customer = UserFactory()
    client.force_login(customer)
    client.post(FAVORITES_TOGGLE, {"product": cameras[2].pk})

    other_device = client.__class__()
    other_device.force_login(customer)
    assert _header_ids(other_device.get("/favorites/").content.decode(), "favorites") == [cameras[2].pk]


def test_cards_carry_both_toggles_and_nothing_of_the_visitor(client, make_products):
    products = make_products(3)
    anonymous = client.get("/catalog/videonablyudenie/").content.decode()
    client.post(FAVORITES_TOGGLE, {"product": products[0].pk})

    mine = client.get("/catalog/videonablyudenie/").content.decode()

    for html in (anonymous, mine):
        assert html.count('data-list-toggle="favorites"') == 3
        assert html.count('data-list-toggle="compare"') == 3
        assert 'aria-pressed="true"' not in html
    assert _header_ids(mine, "favorites") == [products[0].pk]


@pytest.mark.parametrize("size", [5, 50])
def test_favorites_page_budget_does_not_grow(client, make_products, django_assert_max_num_queries, size):
    customer = UserFactory()
    client.force_login(customer)
    for product in make_products(size):
        list_add(owner=Owner(user_id=customer.pk), kind=ListKind.FAVORITES, product_id=product.pk)
    client.get("/favorites/")

    # The session's user, the entries with their products, their pictures.
    with django_assert_max_num_queries(4):
        html = client.get("/favorites/").content.decode()
    assert html.count('data-testid="favorite"') == size


@pytest.mark.parametrize("size", [5, 50])
def test_compare_page_budget_does_not_grow(client, make_products, django_assert_max_num_queries, size):
    customer = UserFactory()
    client.force_login(customer)
    top = Category.objects.get(slug="videonablyudenie")
    products = make_products(size)
    for n in range(size // 5):
        category = Category.objects.create(name=f"Раздел {n}", slug=f"razdel-{n}", parent=top)
        Product.objects.filter(pk__in=[p.pk for p in products[n * 5 : n * 5 + 5]]).update(category=category)
    for product in products:
        list_add(owner=Owner(user_id=customer.pk), kind=ListKind.COMPARE, product_id=product.pk)
    client.get("/compare/")

    # The session's user, the entries with their products, their pictures, their attributes.
    with django_assert_max_num_queries(5):
        html = client.get("/compare/").content.decode()
    assert html.count('data-testid="compare-product"') == size


def test_a_header_the_cache_knows_nothing_of_leaves_the_counters_to_the_script(client, cameras):
    from catalog.selectors import cache

    customer = UserFactory()
    list_add(owner=Owner(user_id=customer.pk), kind=ListKind.FAVORITES, product_id=cameras[0].pk)
    cache.clear()  # evicted: the page asks no query for the counters
    client.force_login(customer)

    html = client.get("/cart/").content.decode()
    assert 'data-lists-state="/lists/state/"' in html

    assert client.get("/lists/state/").json() == {"favorites": [cameras[0].pk], "compare": []}
    assert _header_ids(client.get("/cart/").content.decode(), "favorites") == [cameras[0].pk]
