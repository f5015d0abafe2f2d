from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cart.exceptions import InvalidQuantity, LineQuantityLimit, ProductNotOnSale, ProductOutOfStock
from cart.models import Cart, CartLine
from cart.tests.factories import CartFactory, CartLineFactory
from cart.views import ADDED, PRUNED, REMOVED, UPDATED
from catalog.tests.factories import ProductFactory, ProductImageFactory, StockFactory
from core.money import format_rub

pytestmark = pytest.mark.django_db

ADD_URL = "/cart/add/"
CART_URL = "/cart/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def add(client, product, **extra):
    """Post the product page's «Добавить в корзину» form."""
    data = {"product": product.pk, "quantity": "1", "next": f"/product/{product.slug}/", **extra}
    return client.post(ADD_URL, {k: v for k, v in data.items() if v is not None})


def visitor_cart(client) -> Cart:
    return Cart.objects.get(session_key=client.session.session_key)


def test_urls_keep_their_contract():
    assert reverse("cart:add") == "/cart/add/"
    assert reverse("cart:detail") == "/cart/"
    assert reverse("cart:line_update", args=[7]) == "/cart/line/7/"
    assert reverse("cart:line_remove", args=[7]) == "/cart/line/7/remove/"


# --- add ------------------------------------------------------------------------------------


def test_add_puts_the_product_in_the_cart_and_returns_to_the_product(client, product_in_stock):
    response = add(client, product_in_stock, quantity="3")

    assert response.status_code == 302
    assert response.url == f"/product/{product_in_stock.slug}/"
    assert messages_of(response) == [ADDED]
    assert list(visitor_cart(client).lines.values_list("product_id", "quantity")) == [(product_in_stock.pk, 3)]


def test_add_without_quantity_adds_one_unit(client, product_in_stock):
    # The product cards post no quantity at all.
    add(client, product_in_stock, quantity=None)

    assert visitor_cart(client).lines.get().quantity == 1


def test_add_twice_adds_to_the_same_line(client, product_in_stock):
    add(client, product_in_stock, quantity="2")
    add(client, product_in_stock, quantity="4")

    assert list(visitor_cart(client).lines.values_list("quantity", flat=True)) == [6]


def test_add_keeps_one_cart_for_the_visitor(client, product_in_stock):
    add(client, product_in_stock)
    add(client, StockFactory().product)

    assert Cart.objects.count() == 1
    assert visitor_cart(client).lines.count() == 2


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "1000", "100", "2.5"])
def test_add_with_a_bad_quantity_says_so_and_adds_nothing(client, product_in_stock, quantity):
    response = add(client, product_in_stock, quantity=quantity)

    assert response.status_code == 302
    assert response.url == f"/product/{product_in_stock.slug}/"
    assert messages_of(response) == [InvalidQuantity.message]
    assert not CartLine.objects.exists()


def test_add_past_99_units_says_so(client, guest_cart, product_in_stock):
    CartLineFactory(cart=guest_cart, product=product_in_stock, quantity=98)

    response = add(client, product_in_stock, quantity="5")

    assert messages_of(response) == [LineQuantityLimit.message]
    assert visitor_cart(client).lines.get().quantity == 98


def test_add_out_of_stock_says_so(client, product_out_of_stock):
    response = add(client, product_out_of_stock)

    assert messages_of(response) == [ProductOutOfStock.message]
    assert not CartLine.objects.exists()


def test_add_inactive_product_says_it_is_not_on_sale(client):
    product = StockFactory(product__is_active=False).product

    response = add(client, product)

    assert messages_of(response) == [ProductNotOnSale.message]
    assert not CartLine.objects.exists()


@pytest.mark.parametrize("product_id", ["999999", "abc", "", "-5", "9223372036854775808", "99999999999999999999999"])
def test_add_unknown_product_answers_404(client, product_id):
    response = client.post(ADD_URL, {"product": product_id, "quantity": "1"})

    assert response.status_code == 404
    assert not Cart.objects.exists()


def test_add_without_product_answers_404(client):
    assert client.post(ADD_URL, {"quantity": "1"}).status_code == 404


def test_add_answers_405_to_get(client):
    assert client.get(ADD_URL).status_code == 405


def test_add_returns_to_the_referer_without_next(client, product_in_stock):
    response = client.post(
        ADD_URL, {"product": product_in_stock.pk}, HTTP_REFERER="http://testserver/catalog/videonablyudenie/?page=2"
    )

    assert response.url == "http://testserver/catalog/videonablyudenie/?page=2"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_add_never_redirects_off_site(client, product_in_stock, target):
    response = client.post(ADD_URL, {"product": product_in_stock.pk, "next": target}, HTTP_REFERER=target)

    assert response.url == CART_URL


def test_add_by_a_customer_fills_the_account_cart(client, customer, product_in_stock):
    client.force_login(customer)

    add(client, product_in_stock, quantity="2")

    assert Cart.objects.get(user=customer).lines.get().quantity == 2


def test_add_shows_the_count_in_the_header(client, product_in_stock):
    add(client, product_in_stock, quantity="3")
    other = StockFactory().product
    add(client, other, quantity="2")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="header-cart-count">5</span>' in html
    total = product_in_stock.price * 3 + other.price * 2
    summary = f'<span class="header-cart__count">5 товаров · </span>{format_rub(total)}</span>'
    assert f'data-testid="header-cart-summary">{summary}' in html


# --- detail ---------------------------------------------------------------------------------


def test_detail_of_an_empty_cart_links_to_the_catalog(client):
    response = client.get(CART_URL)

    assert response.status_code == 200
    assert 'data-testid="cart-empty"' in response.content.decode()
    assert 'href="/catalog/"' in response.content.decode()
    assert not Cart.objects.exists()


def test_detail_shows_lines_with_link_price_and_totals(client, guest_cart):
    cart = guest_cart
    product = StockFactory(product__name="Камера IP 4 Мп", product__price=Decimal("12990.00")).product
    ProductImageFactory(product=product)
    line = CartLineFactory(cart=cart, product=product, quantity=2)

    response = client.get(CART_URL)

    html = response.content.decode()
    assert f'href="/product/{product.slug}/"' in html
    assert "Камера IP 4 Мп" in html
    assert "12\xa0990\xa0₽" in html
    assert "25\xa0980\xa0₽" in html
    assert f'action="/cart/line/{line.pk}/"' in html
    assert f'action="/cart/line/{line.pk}/remove/"' in html
    assert f'name="quantity" id="qty-{line.pk}" value="2"' in html
    assert 'href="/checkout/" class="btn btn-primary btn-lg w-100 mt-3" data-testid="checkout">Оформить заказ' in html
    assert response.context["detail"].total == Decimal("25980.00")


def test_detail_removes_a_deleted_product_and_warns(client, guest_cart, product_in_stock):
    CartLineFactory(cart=guest_cart, product=product_in_stock)
    gone = CartLineFactory(cart=guest_cart, product__name="Датчик протечки").product
    gone.delete()

    response = client.get(CART_URL)

    assert messages_of(response) == [PRUNED.format(name="Датчик протечки")]
    assert "Товар «Датчик протечки» больше не продаётся и удалён из корзины" in response.content.decode()
    assert list(visitor_cart(client).lines.values_list("product_id", flat=True)) == [product_in_stock.pk]


def test_detail_removes_a_product_taken_off_sale_and_warns(client, guest_cart, product_in_stock):
    CartLineFactory(cart=guest_cart, product=product_in_stock)
    type(product_in_stock).objects.filter(pk=product_in_stock.pk).update(is_active=False)

    response = client.get(CART_URL)

    assert messages_of(response) == [PRUNED.format(name=product_in_stock.name)]
    assert 'data-testid="cart-empty"' in response.content.decode()


def _fill(cart: Cart, lines: int) -> None:
    for _ in range(lines):
        product = StockFactory().product
        ProductImageFactory(product=product)
        CartLineFactory(cart=cart, product=product, quantity=2)


# Session, (user,) the lines with cart, product and availability, first images, and the category menu
# (categories and their filter attributes; cached in production).
CART_PAGE_BUDGET = 5  # a guest's cart page
# A customer's session comes from the cache (shop/sessions.py): the user, with a check of the session row.
CUSTOMER_CART_PAGE_BUDGET = 5


@pytest.mark.parametrize("lines", [5, 50])
def test_detail_query_budget_is_the_same_for_5_and_50_lines(client, guest_cart, django_assert_num_queries, lines):
    _fill(guest_cart, lines)

    with django_assert_num_queries(CART_PAGE_BUDGET):
        response = client.get(CART_URL)

    assert response.status_code == 200
    assert len(response.context["detail"].items) == lines


@pytest.mark.parametrize("lines", [5, 50])
def test_detail_query_budget_for_a_customer_is_the_same_for_5_and_50_lines(
    client, customer, django_assert_num_queries, lines
):
    cart = CartFactory(user=customer, session_key=None)
    _fill(cart, lines)
    client.force_login(customer)

    with django_assert_num_queries(CUSTOMER_CART_PAGE_BUDGET):
        response = client.get(CART_URL)

    assert len(response.context["detail"].items) == lines


# Product with availability (read once: the service takes it from the view), session, cart, lock (the cart's
# version moved), line, write, session save, and the savepoints the test's own transaction turns the service's
# atomic block into.
ADD_BUDGET = 11


@pytest.mark.parametrize("lines", [5, 50])
def test_add_query_budget_is_the_same_for_5_and_50_lines(
    client, guest_cart, product_in_stock, django_assert_num_queries, lines
):
    for _ in range(lines):
        CartLineFactory(cart=guest_cart)

    with django_assert_num_queries(ADD_BUDGET):
        response = add(client, product_in_stock)

    assert messages_of(response) == [ADDED]
    assert guest_cart.lines.count() == lines + 1


# --- update and remove ----------------------------------------------------------------------


def test_update_changes_the_quantity(client, guest_cart, product_in_stock):
    line = CartLineFactory(cart=guest_cart, product=product_in_stock)

    response = client.post(f"/cart/line/{line.pk}/", {"quantity": "5"})

    assert response.status_code == 302
    assert response.url == CART_URL
    assert messages_of(response) == [UPDATED]
    line.refresh_from_db()
    assert line.quantity == 5


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "1000", ""])
def test_update_with_a_bad_quantity_says_so(client, guest_cart, product_in_stock, quantity):
    line = CartLineFactory(cart=guest_cart, product=product_in_stock, quantity=2)

    response = client.post(f"/cart/line/{line.pk}/", {"quantity": quantity})

    assert response.status_code == 302
    assert messages_of(response) == [InvalidQuantity.message]
    line.refresh_from_db()
    assert line.quantity == 2


@pytest.mark.parametrize("quantity", ["5", "abc"])
def test_update_of_another_visitors_line_answers_404(client, guest_cart, product_in_stock, quantity):
    CartLineFactory(cart=guest_cart, product=product_in_stock)
    theirs = CartLineFactory(quantity=1)

    response = client.post(f"/cart/line/{theirs.pk}/", {"quantity": quantity})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.quantity == 1


def test_update_without_a_cart_answers_404(client):
    theirs = CartLineFactory()

    assert client.post(f"/cart/line/{theirs.pk}/", {"quantity": "3"}).status_code == 404


def test_remove_takes_the_line_out(client, guest_cart, product_in_stock):
    line = CartLineFactory(cart=guest_cart, product=product_in_stock)

    response = client.post(f"/cart/line/{line.pk}/remove/")

    assert response.url == CART_URL
    assert messages_of(response) == [REMOVED.format(name=product_in_stock.name)]
    assert not CartLine.objects.exists()


def test_remove_of_another_visitors_line_answers_404(client, guest_cart, product_in_stock):
    CartLineFactory(cart=guest_cart, product=product_in_stock)
    theirs = CartLineFactory()

    response = client.post(f"/cart/line/{theirs.pk}/remove/")

    assert response.status_code == 404
    assert CartLine.objects.filter(pk=theirs.pk).exists()


def test_remove_of_a_guest_line_by_a_customer_answers_404(client, customer, product_in_stock):
    guest_line = CartLineFactory()
    CartFactory(user=customer, session_key=None)
    client.force_login(customer)

    assert client.post(f"/cart/line/{guest_line.pk}/remove/").status_code == 404


def test_line_actions_answer_405_to_get(client):
    line = CartLineFactory()

    assert client.get(f"/cart/line/{line.pk}/").status_code == 405
    assert client.get(f"/cart/line/{line.pk}/remove/").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["/catalog/%00", "/catalog/\x00x", "\x01/evil", "https://evil.example/"])
def test_add_never_redirects_to_a_broken_or_foreign_address(client, next_url):
    from catalog.tests.factories import StockFactory

    product = StockFactory(quantity=5).product
    response = client.post("/cart/add/", {"product": product.pk, "next": next_url})
    assert response.status_code == 302
    assert "evil" not in response["Location"] and "\x00" not in response["Location"]


def test_quantity_above_what_can_be_delivered_says_how_many_are_left(client, guest_cart):
    line = CartLineFactory(cart=guest_cart, product=StockFactory(quantity=3).product, quantity=1)

    response = client.post(f"/cart/line/{line.pk}/", {"quantity": "5"}, follow=True)

    assert "Доступно только 3 шт." in messages_of(response)
    line.refresh_from_db()
    assert line.quantity == 1


def test_line_under_order_shows_its_lead_time(client, guest_cart):
    CartLineFactory(cart=guest_cart, product=ProductFactory(backorder_days=5))

    html = client.get(CART_URL).content.decode()

    assert "Под заказ" in html
    assert "поставка за 5 дней" in html
