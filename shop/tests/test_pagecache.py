import hashlib
import re

import pytest
from django.core.cache import caches
from django.http import QueryDict
from django.template import engines
from django.test import Client

from catalog.facets import _store_key
from catalog.models import Category
from catalog.selectors import category_tree
from catalog.services import catalog_changed
from catalog.tests.factories import ProductFactory, StockFactory
from shop.pagecache import normalised_query
from shop.personal import csrf_slot

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CATEGORY = "/catalog/videonablyudenie/"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def product():
    product = ProductFactory(name="Камера Hikvision DS-2CD1043", category=Category.objects.get(slug="videonablyudenie"))
    StockFactory(product=product, quantity=20)
    return product


def _page_keys() -> set[str]:
    cache = caches["catalog"]
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        return {key.decode() for key in cache._cache.get_client().keys("*page:*")}
    return {key for key in cache._cache if ":page:" in key}


def test_second_anonymous_visit_is_served_without_queries(client, product, django_assert_num_queries):
    client.get(product.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(product.get_absolute_url())
    assert product.name in response.content.decode()
    assert "Cookie" in response["Vary"]


def test_plain_csrf_token_on_a_cached_page_works_for_two_visitors(product):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for visitor in (first, second):
        html = visitor.get(product.get_absolute_url()).content.decode()
        assert "<!--personal:" not in html
        token = TOKEN.search(html).group(1)
        response = visitor.post("/cart/add/", {"product": product.pk, "quantity": "1", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert visitor.get("/cart/").context["cart_count"] == 1


def test_cached_page_never_carries_the_token_of_the_visitor_who_filled_it(product):
    first, second = Client(), Client()
    first_token = TOKEN.search(first.get(product.get_absolute_url()).content.decode()).group(1)
    second_token = TOKEN.search(second.get(product.get_absolute_url()).content.decode()).group(1)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert first_token != second_token


def _stored_parts(path: str) -> list:
    """The stored pieces of a page without query parameters, as a visitor without a company sees it."""
    digest = hashlib.sha1(f"{path}?".encode(), usedforsecurity=False).hexdigest()
    return caches["catalog"].get(f"page:retail:{digest}")[1]


def test_a_shared_render_makes_no_token_and_stores_the_csrf_slot(product):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(product.get_absolute_url())
    parts = _stored_parts(product.get_absolute_url())
    assert "csrf" in parts[1::2]
    assert not any(TOKEN.search(part.decode()) and "<!--" not in part.decode() for part in parts[::2])


def test_a_token_that_code_makes_during_a_shared_render_becomes_the_slot(product, monkeypatch):
    # Without the slot processor Django's own csrf processor makes a token from the render secret.
    engine = engines["django"].engine
    processors = [p for p in engine.template_context_processors if p is not csrf_slot]
    monkeypatch.setattr(engine, "template_context_processors", tuple(processors))
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for visitor in (first, second):
        html = visitor.get(product.get_absolute_url()).content.decode()
        token = TOKEN.search(html).group(1)
        response = visitor.post("/cart/add/", {"product": product.pk, "quantity": "1", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert "csrf" in _stored_parts(product.get_absolute_url())[1::2]


def test_unknown_parameters_share_one_entry_and_never_reach_the_page(client, product):
    for n in range(5):
        response = client.get(f"{CATEGORY}?utm_source=ad{n}&sort=price")
        assert response.status_code == 200
        assert f"ad{n}" not in response.content.decode()
    assert len(_page_keys()) == 1


def test_parameters_are_normalised_and_sorted_into_one_key():
    allowed = ["brand", "sort", "a_*"]
    first = normalised_query(QueryDict("sort=price&brand=dahua&brand=hikvision&a_power=poe&utm=1"), allowed)
    second = normalised_query(QueryDict("brand=hikvision&a_power=+poe+&utm=2&brand=dahua&sort=price&gclid=x"), allowed)
    assert first == second == "a_power=poe&brand=dahua&brand=hikvision&sort=price"


def test_visitor_with_a_cart_sees_it_on_the_shared_page(client, product):
    client.get(product.get_absolute_url())
    client.post("/cart/add/", {"product": product.pk, "quantity": "2"})
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'data-testid="header-cart-count">2</span>' in html


def test_a_response_that_sets_a_cookie_is_never_stored(client, product, monkeypatch):
    import catalog.urls

    pattern = next(p for p in catalog.urls.urlpatterns if p.name == "product")
    view = pattern.callback

    def with_cookie(request, slug):
        response = view(request, slug)
        response.set_cookie("seen", slug)
        return response

    monkeypatch.setattr(pattern, "callback", with_cookie)
    assert client.get(product.get_absolute_url()).status_code == 200
    assert _page_keys() == set()


def test_catalog_change_invalidates_cached_pages(client, product):
    client.get(product.get_absolute_url())
    product.name = "Камера Hikvision новая"
    product.save()
    catalog_changed()
    assert "Камера Hikvision новая" in client.get(product.get_absolute_url()).content.decode()


def test_missing_pages_are_not_cached(client, django_assert_num_queries):
    client.get("/product/net-takogo/")
    with django_assert_num_queries(1):
        assert client.get("/product/net-takogo/").status_code == 404
    ProductFactory(slug="net-takogo", category=Category.objects.get(slug="videonablyudenie"))
    assert client.get("/product/net-takogo/").status_code == 200


def test_pages_outside_the_allowlist_are_not_cached(client, product):
    client.get("/cart/")
    client.get("/accounts/login/")
    assert _page_keys() == set()


def test_a_miss_reads_each_stamp_from_the_cache_once(client, product, monkeypatch):
    # The page's lookup reads the catalogue's stamps; the menu, the listing's store and the cards take them
    # from the request instead of asking Redis again.
    cache = caches["catalog"]
    asked = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, *args, **kwargs: (asked.extend(keys), real(keys))[1])
    client.get(CATEGORY)  # the stamps exist
    asked.clear()
    assert client.get(CATEGORY + "?sort=price").status_code == 200  # a page not stored yet
    assert asked.count("catalog:version") == 1


@pytest.mark.parametrize("path", [CATEGORY, "/cart/"])
def test_a_signed_in_hit_asks_the_cache_once_for_a_buyer_who_never_kept_a_list(client, product, monkeypatch, path):
    # The page's lookup asks for the buyer's list keys too; the header's lists take its answer, absent keys
    # included, instead of asking again.
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    client.post("/cart/add/", {"product": product.pk})
    client.get(path)  # stored
    cache = caches["catalog"]
    asked = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, *args, **kwargs: (asked.append(list(keys)), real(keys))[1])

    assert client.get(path).status_code == 200

    assert len(asked) == 1, asked


def test_page_frame_follows_a_renamed_category(client, product):
    # The header is made once per process and category tree while pages are made for the page cache.
    assert "Видеонаблюдение</a>" in client.get(CATEGORY).content.decode()
    Category.objects.filter(slug="videonablyudenie").update(name="Камеры и регистраторы")
    catalog_changed()
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Камеры и регистраторы</a>" in html
    assert "Видеонаблюдение</a>" not in html


def test_page_frame_keeps_each_search_its_own_query(client, product):
    for query in ("камера", "датчик"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert f'name="q" value="{query}"' in html
    assert 'name="q" value=""' in client.get(CATEGORY).content.decode()


def test_page_frame_of_a_shared_page_is_the_frame_of_a_page_rendered_for_one_visitor(client, product, settings):
    def frame(html: str) -> list[str]:
        html = re.sub(r">\s+<", "><", html)
        return [html[html.index(f"<{tag}") : html.index(f"</{tag}>")] for tag in ("header", "footer")]

    shared = client.get(CATEGORY).content.decode()
    settings.PAGE_CACHE_SECONDS = 0
    assert frame(shared) == frame(client.get(CATEGORY).content.decode())


def test_a_miss_stores_the_page_it_answers(client, product):
    assert _page_keys() == set()

    assert client.get(CATEGORY).content.decode().count('data-testid="product-card"') == 1

    assert len(_page_keys()) == 1


def test_a_page_made_from_filter_counts_due_for_a_rebuild_is_not_stored(client, product, settings):
    # While one worker counts aged filter counts again, the others serve the previous ones: a page made from
    # them would keep them for PAGE_CACHE_SECONDS more.
    client.get(CATEGORY)
    assert len(_page_keys()) == 1
    settings.CATALOG_CACHE_SECONDS = 0  # every category store is due for a rebuild
    tree = category_tree()
    node = tree.by_slug["videonablyudenie"]
    store = _store_key(tree.descendant_ids(node), tree.filter_attributes(node))
    assert caches["catalog"].add(f"{store}:rebuild", 1, timeout=30)  # another worker is counting them
    assert client.get(CATEGORY + "?sort=price").status_code == 200
    assert len(_page_keys()) == 1
    settings.CATALOG_CACHE_SECONDS = 300
    client.get(CATEGORY + "?sort=-price")
    assert len(_page_keys()) == 2
