"""No visitor's own parts ever reach another visitor through the shared page cache."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory

from accounts.tests.factories import CompanyFactory, CompanyUserFactory, UserFactory
from catalog.models import Category
from catalog.tests.factories import ProductFactory, StockFactory
from core.money import format_rub
from core.text import plural
from shop import pagecache

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIRST_PRICE, SECOND_PRICE = Decimal("1990.00"), Decimal("3490.00")


@dataclass
class Visitor:
    label: str
    client: Client
    name: str = ""
    company: str = ""
    message: str = ""
    units: dict = field(default_factory=dict)  # price -> quantity
    has_cookie: bool = True

    @property
    def count(self) -> int:
        return sum(self.units.values())

    @property
    def badge(self) -> str:
        return f'data-testid="header-cart-count">{self.count}</span>'

    @property
    def summary(self) -> str:
        total = sum(price * quantity for price, quantity in self.units.items())
        return f"{plural(self.count, 'товар', 'товара', 'товаров')} · </span>{format_rub(total)}"

    def personal_texts(self) -> list[str]:
        texts = [self.name, self.company, self.message]
        if self.count:
            texts += [self.badge, self.summary]
        return [text for text in texts if text]

    def get(self, url: str):
        if not self.has_cookie:
            self.client.cookies.clear()
        return self.client.get(url)

    def secret(self, response) -> str:
        cookie = response.cookies.get("csrftoken") or self.client.cookies.get("csrftoken")
        return cookie.value


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def products():
    category = Category.objects.get(slug="videonablyudenie")
    first = ProductFactory(name="Камера уличная Hikvision", category=category, price=FIRST_PRICE)
    second = ProductFactory(name="Камера купольная Dahua", category=category, price=SECOND_PRICE)
    for product in (first, second):
        StockFactory(product=product, quantity=50)
    return first, second


def _fill_cart(client: Client, units: dict, products) -> None:
    by_price = {product.price: product for product in products}
    for price, quantity in units.items():
        response = client.post("/cart/add/", {"product": by_price[price].pk, "quantity": quantity})
        assert response.status_code == 302


def _give_message(visitor: Visitor) -> None:
    # As a view leaves one: in the signed messages cookie (MESSAGE_STORAGE).
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.INFO, visitor.message)
    response = HttpResponse()
    storage.update(response)
    visitor.client.cookies["messages"] = response.cookies["messages"].value


@pytest.fixture
def visitors(products):
    alice, boris = Client(), Client()
    alice.force_login(UserFactory(first_name="Алиса"))
    boris.force_login(UserFactory(first_name="Борис"))
    vera = Client()
    vera.force_login(CompanyUserFactory(first_name="Вера", company=CompanyFactory(name="ООО «Вектор-Охрана»")))
    crowd = [
        Visitor("alice", alice, name="Алиса", message="Сообщение для Алисы", units={FIRST_PRICE: 2}),
        Visitor("boris", boris, name="Борис", message="Сообщение для Бориса", units={SECOND_PRICE: 5}),
        Visitor(
            "vera",
            vera,
            name="Вера",
            company="ООО «Вектор-Охрана»",
            message="Сообщение для Веры",
            units={FIRST_PRICE: 1, SECOND_PRICE: 2},
        ),
        Visitor("guest", Client(), message="Сообщение для гостя", units={FIRST_PRICE: 7}),
        Visitor("nobody", Client(), has_cookie=False),
    ]
    for visitor in crowd:
        _fill_cart(visitor.client, visitor.units, products)
    return crowd


def _pages(products) -> dict[str, str]:
    return {
        "home": "/",
        "catalog": "/catalog/",
        "category": "/catalog/videonablyudenie/",
        "product": products[0].get_absolute_url(),
        "search": "/search/?q=камера",
    }


def _assert_only_own_parts(visitor: Visitor, response, crowd: list[Visitor], *, with_message: bool) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert "<!--personal:" not in html
    for other in crowd:
        if other is not visitor:
            for text in other.personal_texts():
                assert text not in html, f"{visitor.label} sees {other.label}'s {text!r}"
    for text in (visitor.name, visitor.company):
        if text:
            assert text in html
    if visitor.count:
        assert html.count(visitor.badge) == 1
        assert html.count(visitor.summary) == 1
    else:
        assert 'data-testid="header-cart-count"' not in html
        assert 'data-testid="header-cart-summary"' not in html
    signed_in = bool(visitor.name)
    assert ("Выйти" in html) is signed_in
    assert ("Зарегистрироваться" in html) is not signed_in
    if visitor.message:
        assert html.count(visitor.message) == (1 if with_message else 0)
    tokens = TOKEN.findall(html)
    if signed_in or "add-to-cart" in html:  # the logout form, the product's form
        assert tokens
    assert {_unmask_cipher_token(token) for token in tokens} <= {visitor.secret(response)}


def _shared_entries() -> list[bytes]:
    cache = caches["catalog"]
    client = cache._cache.get_client()
    return [client.get(key) for key in client.scan_iter(match=f"{cache.key_prefix}:*")]


@pytest.mark.parametrize("order", ["signed-in first", "no cookie first"])
def test_no_personal_part_reaches_another_visitor_through_the_page_cache(visitors, products, order, monkeypatch):
    """Two customers, a company buyer, a guest with a cart and a visitor without a cookie share every page."""
    crowd = visitors if order == "signed-in first" else list(reversed(visitors))
    stored = []
    real_store = pagecache._store
    monkeypatch.setattr(pagecache, "_store", lambda key, *args: (stored.append(key), real_store(key, *args)))

    for page, url in _pages(products).items():
        stored.clear()
        for visitor in crowd:
            if visitor.message:
                _give_message(visitor)
        for visitor in crowd:
            _assert_only_own_parts(visitor, visitor.get(url), crowd, with_message=True)
        for visitor in crowd:
            _assert_only_own_parts(visitor, visitor.get(url), crowd, with_message=False)
        # One render per variant filled the cache; every other answer above was served from it.
        variants = {key.split(":")[1] for key in stored}
        assert len(stored) == len(variants), page
        assert variants == {"retail", "company"}, page

    secrets = {visitor.secret(visitor.get("/catalog/")) for visitor in crowd}
    entries = _shared_entries()
    assert entries
    for entry in entries:
        for text in [text for visitor in crowd for text in visitor.personal_texts()] + sorted(secrets):
            assert text.encode() not in entry


def test_no_personal_part_reaches_another_visitor_through_the_stored_cart_pages(visitors):
    """Each cart page is stored for its owner: nobody else's lines, name, messages or token come with it."""
    for visitor in visitors:
        if visitor.message:
            _give_message(visitor)
    for with_message in (True, False, False):
        for visitor in visitors:
            response = visitor.get("/cart/")
            _assert_only_own_parts(visitor, response, visitors, with_message=with_message)
            lines = re.findall(r'data-testid="cart-line-name">([^<]*)</a>', response.content.decode())
            assert len(lines) == len(visitor.units), visitor.label


def test_a_session_ended_while_its_cache_entry_survived_shows_nobody_on_cached_pages(visitors, products):
    """A logout the cache missed (an outage) leaves an entry behind; the old cookie gets a stranger's page."""
    alice = visitors[0]
    url = products[0].get_absolute_url()
    _assert_only_own_parts(alice, alice.get(url), visitors, with_message=False)
    cache = caches["catalog"]
    cookie = alice.client.cookies["sessionid"].value
    stale = cache.get(f"session:{cookie}")
    assert stale is not None
    alice.client.post("/accounts/logout/")
    cache.set(f"session:{cookie}", stale)
    alice.client.cookies["sessionid"] = cookie
    html = alice.client.get(url).content.decode()
    assert "Алиса" not in html and "Выйти" not in html
    assert "Войти" in html
    assert 'data-testid="header-cart-count"' not in html
