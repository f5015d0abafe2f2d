"""БП-3 in Chromium: «Добавить в корзину» on the product page, then the cart."""

import mimetypes
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from catalog.tests.factories import CategoryFactory, ProductImageFactory, StockFactory, image_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serve_media(page) -> None:
    """Answer /media/ from MEDIA_ROOT: the live server serves static files only."""

    def handle(route):
        path = Path(settings.MEDIA_ROOT) / route.request.url.split("/media/", 1)[1]
        if path.is_file():
            route.fulfill(body=path.read_bytes(), content_type=mimetypes.guess_type(path.name)[0] or "image/jpeg")
        else:
            route.fulfill(status=404)

    page.route(re.compile(r".*/media/.*"), handle)


def product(name: str, price: str, color: str):
    item = StockFactory(
        quantity=20,
        product__name=name,
        product__price=Decimal(price),
        product__category=CategoryFactory(),
    ).product
    ProductImageFactory(product=item, image=image_file(size=(400, 300), color=color))
    return item


def add_from_product_page(page, item, quantity: str | None = None) -> None:
    page.goto(item.get_absolute_url())
    if quantity:
        page.get_by_label("Количество").fill(quantity)
    page.locator("form.add-to-cart").get_by_role("button", name="Добавить в корзину").click()
    page.get_by_text("Товар добавлен в корзину").wait_for()


def test_customer_adds_products_and_adjusts_the_cart(page, screenshot):
    serve_media(page)
    camera = product("IP-камера уличная 4 Мп с ИК-подсветкой", "12990.00", "steelblue")
    sensor = product("Датчик протечки воды беспроводной", "1490.00", "seagreen")

    add_from_product_page(page, camera, quantity="2")
    add_from_product_page(page, sensor)
    assert page.get_by_test_id("header-cart-count").inner_text() == "3"
    assert page.get_by_test_id("header-cart-summary").inner_text() == "3 товара · 27\xa0470\xa0₽"

    page.get_by_test_id("header-cart").click()
    page.wait_for_url("**/cart/")
    lines = page.get_by_test_id("cart-line")
    lines.first.wait_for()
    assert lines.count() == 2
    assert page.get_by_test_id("cart-total").inner_text() == "27\xa0470\xa0₽"
    assert page.locator(".cart-lines img").evaluate_all("imgs => imgs.every(i => i.naturalWidth > 0)")
    screenshot("cart-detail")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("cart-detail-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label(f"Количество: {sensor.name}").fill("3")
    lines.filter(has_text=sensor.name).get_by_role("button", name="Обновить").click()
    page.get_by_text("Количество обновлено").wait_for()
    assert page.get_by_test_id("cart-total").inner_text() == "30\xa0450\xa0₽"

    lines.filter(has_text=camera.name).get_by_role("button", name="Удалить").click()
    page.get_by_text(f"Товар «{camera.name}» удалён из корзины").wait_for()
    assert page.get_by_test_id("cart-total").inner_text() == "4\xa0470\xa0₽"

    sensor.delete()
    page.reload()
    page.get_by_text(f"Товар «{sensor.name}» больше не продаётся и удалён из корзины").wait_for()
    assert page.get_by_role("link", name="Перейти в каталог").is_visible()
    screenshot("cart-empty-after-removal")
