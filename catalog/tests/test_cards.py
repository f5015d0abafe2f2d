"""Product cards: rendered once per product version and reused, with each visitor's own token and the
address of the page they are on; «Добавить в корзину» comes back to the card."""

import re
from decimal import Decimal

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from catalog import cards, facets
from catalog.models import Product
from catalog.selectors import card_products
from catalog.services import products_changed
from catalog.versions import cache, card_key

pytestmark = pytest.mark.django_db

LISTING = "/catalog/ip-kamery/?brand=hikvision&sort=price"
NEXT = re.compile(r'name="next" value="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def rendered(monkeypatch):
    """How many cards were rendered from the template (not served from the card cache)."""
    calls = []
    real = cards.card_context

    def counting(product, **kwargs):
        calls.append(product.pk)
        return real(product, **kwargs)

    monkeypatch.setattr(cards, "card_context", counting)
    return calls


def test_cards_are_rendered_once_and_again_only_for_an_edited_product(client, make_products, rendered):
    products = make_products(6)
    client.get("/catalog/ip-kamery/")
    assert len(rendered) == 6
    client.get("/catalog/ip-kamery/?sort=price")
    assert len(rendered) == 6
    products[2].price = Decimal("777")
    products[2].save()
    products_changed(product_ids=[products[2].pk])  # what the admin and the import do after a write
    html = client.get("/catalog/ip-kamery/").content.decode()
    assert rendered[6:] == [products[2].pk]
    assert "777\xa0₽" in html


def card_html(html: str, pk: int) -> str:
    start = html.index(f'id="product-{pk}"')
    end = html.find('<div class="col">', start)
    return html[start : end if end != -1 else None]


def test_a_listing_card_shows_the_availability_of_the_stock_units_at_most_their_age_old(
    client, make_products, monkeypatch
):
    products = make_products(2)
    products[1].stocks.update(quantity=10)
    assert "В наличии" in card_html(client.get("/catalog/ip-kamery/").content.decode(), products[1].pk)
    products[1].stocks.update(quantity=0)  # an order took it: no edit of the product
    # The listing shows what the stock units counted until they age; the product page reads stock live.
    assert "Добавить в корзину" in card_html(client.get("/catalog/ip-kamery/").content.decode(), products[1].pk)
    page = client.get(products[1].get_absolute_url()).content.decode()
    assert "Нет в наличии" in page and "Добавить в корзину" not in page
    monkeypatch.setattr(facets, "STOCK_FRESH_SECONDS", 0)
    card = card_html(client.get("/catalog/ip-kamery/").content.decode(), products[1].pk)
    assert "Нет в наличии" in card
    assert "Добавить в корзину" not in card


def test_every_visitor_gets_their_own_token_in_cached_cards_and_it_works(make_products):
    product = make_products(1)[0]
    product.stocks.update(quantity=5)
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get("/catalog/ip-kamery/").content.decode()
        token = TOKEN.findall(html)[-1]
        assert _unmask_cipher_token(token) == visitor.cookies["csrftoken"].value
        response = visitor.post("/cart/add/", {"product": product.pk, "csrfmiddlewaretoken": token})
        assert response.status_code == 302


def test_adding_from_a_filtered_listing_comes_back_to_the_card_with_the_message(client, make_products):
    products = make_products(6)
    for product in products:
        product.stocks.update(quantity=5)
    html = client.get(LISTING).content.decode()
    back = NEXT.findall(html)
    hikvision = sorted((p for p in products if p.brand.slug == "hikvision"), key=lambda p: p.price)
    assert [b.replace("&amp;", "&") for b in back] == [f"{LISTING}#product-{p.pk}" for p in hikvision]
    last = hikvision[-1]
    response = client.post("/cart/add/", {"product": last.pk, "next": back[-1].replace("&amp;", "&")})
    assert response.status_code == 302
    assert response["Location"] == f"{LISTING}#product-{last.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Товар добавлен в корзину" in page
    assert f'id="product-{last.pk}"' in page


def test_company_buyers_see_vat_on_cards_and_retail_buyers_do_not(client, make_products):
    from accounts.tests.factories import CompanyUserFactory, UserFactory

    make_products(2)
    company = Client()
    company.force_login(CompanyUserFactory())
    assert "в т.ч. НДС 22%" in company.get("/catalog/ip-kamery/").content.decode()
    client.force_login(UserFactory())
    assert "в т.ч. НДС" not in client.get("/catalog/ip-kamery/").content.decode()


def test_a_queryset_update_retires_the_card_through_the_product_stamp(client, make_products, rendered):
    from catalog.models import Product
    from catalog.services import products_changed

    products = make_products(3)
    client.get("/catalog/ip-kamery/")
    # No save(): updated_at stays, so only the product's stamp can tell the card it changed.
    Product.objects.filter(pk=products[1].pk).update(name="Камера переименованная")
    products_changed(product_ids=[products[1].pk])
    html = client.get("/catalog/ip-kamery/").content.decode()
    assert rendered[3:] == [products[1].pk]
    assert "Камера переименованная" in card_html(html, products[1].pk)


def test_taking_off_sale_and_back_renders_only_that_card_again(
    client, make_products, rendered, django_capture_on_commit_callbacks
):
    from catalog.services import products_set_active

    products = make_products(3)
    client.get("/catalog/ip-kamery/")
    with django_capture_on_commit_callbacks(execute=True):
        products_set_active(product_ids=[products[0].pk], is_active=False)
        products_set_active(product_ids=[products[0].pk], is_active=True)
    client.get("/catalog/ip-kamery/")
    assert rendered[3:] == [products[0].pk]


def test_a_picture_added_or_removed_without_saving_the_product_shows_on_its_card(
    client, make_products, django_capture_on_commit_callbacks
):
    from catalog.services import product_images_store_thumbnails
    from catalog.tests.factories import ProductImageFactory

    product = make_products(2)[0]
    product.images.all().delete()
    assert "Нет фото" in card_html(client.get("/catalog/ip-kamery/").content.decode(), product.pk)
    with django_capture_on_commit_callbacks(execute=True):
        picture = ProductImageFactory(product=product)
        product_images_store_thumbnails(product_ids=[product.pk])
    picture.refresh_from_db()
    card = card_html(client.get("/catalog/ip-kamery/").content.decode(), product.pk)
    assert f'src="{picture.thumbnail_url}"' in card
    with django_capture_on_commit_callbacks(execute=True):
        picture.delete()
        product_images_store_thumbnails(product_ids=[product.pk])
    assert "Нет фото" in card_html(client.get("/catalog/ip-kamery/").content.decode(), product.pk)


def test_a_product_shown_twice_on_home_keeps_one_id_and_every_return_anchor_finds_it(client, make_products):
    products = make_products(3)
    for product in products:
        product.stocks.update(quantity=5)
    html = client.get("/").content.decode()
    ids = re.findall(r'id="(product-\d+)"', html)
    anchors = [value.rsplit("#", 1)[1] for value in NEXT.findall(html)]
    # Popular and new both list the three products: six cards, three ids.
    assert html.count('data-testid="product-card"') == 6
    assert sorted(ids) == sorted(f"product-{p.pk}" for p in products)
    assert len(anchors) == 6 and set(anchors) == set(ids)


def test_a_card_escapes_what_the_catalogue_holds_and_shows_the_discount_and_vat(client, make_products):
    product = make_products(1)[0]
    product.name = 'Камера "Двор" <b>жирная</b> & ночная'
    product.old_price = Decimal("2000.00")
    product.price = Decimal("1500.00")
    product.save()
    product.stocks.update(quantity=10)
    card = card_html(client.get("/catalog/ip-kamery/").content.decode(), product.pk)
    assert "<b>" not in card
    assert 'title="Камера &quot;Двор&quot; &lt;b&gt;жирная&lt;/b&gt; &amp; ночная"' in card
    assert "−25%" in card
    assert "1\xa0500\xa0₽" in card
    assert "2\xa0000\xa0₽" in card
    assert f'href="/product/{product.slug}/"' in card
    assert 'class="availability availability--in_stock">В наличии<' in card


def test_a_card_whose_stamp_another_process_started_first_is_rendered_again_not_served(
    make_products, rendered, monkeypatch
):
    product = make_products(1)[0]
    store = cards._store_cards

    def another_process_first(proposals, entries):
        cache.set(card_key(product.pk), 12345, None)  # another process started the card's stamp meanwhile
        store(proposals, entries)

    monkeypatch.setattr(cards, "_store_cards", another_process_first)
    cards.card_pairs(card_products([product.pk]), is_b2b=False)
    monkeypatch.setattr(cards, "_store_cards", store)
    cards.card_pairs(card_products([product.pk]), is_b2b=False)
    assert rendered == [product.pk, product.pk]
    cards.card_pairs(card_products([product.pk]), is_b2b=False)
    assert rendered == [product.pk, product.pk]  # stored under the stamp that holds, and served from now on


def test_a_listed_product_taken_off_sale_since_its_store_was_built_gets_no_card(make_products, rendered):
    from catalog.availability import IN_STOCK
    from catalog.facets import ListedProduct

    on_sale, off_sale = make_products(2)
    Product.objects.filter(pk=off_sale.pk).update(is_active=False)
    listed = [ListedProduct(pk=p.pk, edited=1, availability=IN_STOCK) for p in (on_sale, off_sale)]
    pairs = cards.card_pairs(listed, is_b2b=False)
    assert [pk for pk, _ in pairs] == [on_sale.pk]
    assert rendered == [on_sale.pk]


def test_while_another_worker_rebuilds_a_store_after_an_edit_the_cards_come_from_the_database(
    client, make_products, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    from catalog.facets import _store_key
    from catalog.selectors import category_tree
    from catalog.services import products_delete

    products = make_products(3)
    assert card_html(client.get("/catalog/ip-kamery/").content.decode(), products[0].pk)
    tree = category_tree()
    node = tree.by_slug["ip-kamery"]
    store = _store_key(tree.descendant_ids(node), tree.filter_attributes(node))
    with django_capture_on_commit_callbacks(execute=True):
        products_delete(product_ids=[products[0].pk])
    assert caches["catalog"].add(f"{store}:rebuild", 1, timeout=30)  # another worker is counting it again
    # The previous store still lists the deleted product, whose cached card no stamp retired: the cards are
    # read from the database instead, which leaves it out.
    html = client.get("/catalog/ip-kamery/").content.decode()
    assert f'id="product-{products[0].pk}"' not in html
    assert html.count('data-testid="product-card"') == 2
