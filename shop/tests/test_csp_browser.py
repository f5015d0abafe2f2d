"""Every kind of page in Chromium under the enforced Content-Security-Policy: not one violation."""

import re

import pytest
from django.core.management import call_command

from demo.data import ADMIN_EMAIL, ADMIN_PASSWORD, CUSTOMER_EMAIL, CUSTOMER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


class Watched:
    """A tab that records every CSP violation, reported as an event or in the console."""

    def __init__(self, page):
        self.page = page
        self.violations = []
        page.add_init_script(WATCH)
        page.on(
            "console",
            lambda message: self.violations.append(message.text) if "Content Security Policy" in message.text else None,
        )

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response.status < 500, path
        assert "nonce-" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("load")
        self.violations.extend(f"{path}: {v}" for v in self.page.evaluate("window.__csp"))


def test_no_page_violates_the_content_security_policy(page):
    call_command("seed_demo", verbosity=0)
    from catalog.models import Category, Product
    from orders.models import Order

    tab = Watched(page)
    product = Product.objects.filter(is_active=True, is_service=False).order_by("pk").first()
    category = Category.objects.filter(parent__isnull=False).order_by("pk").first()
    for path in ["/", "/catalog/", category.get_absolute_url(), product.get_absolute_url(), "/search/?q=камера"]:
        tab.visit(path)
    for path in ["/accounts/login/", "/accounts/signup/"]:
        tab.visit(path)

    page.goto("/accounts/login/")
    page.get_by_label("Email или телефон").fill(CUSTOMER_EMAIL)
    page.get_by_label("Пароль").fill(CUSTOMER_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/$"))
    tab.visit(product.get_absolute_url())
    page.locator("form.add-to-cart").get_by_role("button", name="Добавить в корзину").click()
    page.get_by_text("Товар добавлен в корзину").wait_for()
    order = Order.objects.filter(user__email=CUSTOMER_EMAIL).order_by("pk").first()
    for path in [
        "/cart/",
        "/checkout/",
        "/orders/",
        order.get_absolute_url(),
        "/accounts/profile/",
        "/service/repair/new/",
        "/service/installation/new/",
    ]:
        tab.visit(path)

    page.context.clear_cookies()
    page.goto("/admin/")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Пароль").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()
    for path in [
        "/admin/",
        "/admin/orders/order/",
        f"/admin/orders/order/{order.pk}/change/",
        "/admin/catalog/product/",
    ]:
        tab.visit(path)

    assert tab.violations == []
