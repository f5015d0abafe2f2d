import io

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.tests.factories import UserFactory
from catalog.services import stock_receive
from catalog.tests.factories import ProductFactory, StockFactory, WarehouseFactory
from catalog.tests.test_admin import inline
from lists.exceptions import AlreadyInStock, EmailNeeded
from lists.models import StockSubscription
from lists.services import stock_subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def missing(cctv):
    """A camera with no stock, and its warehouse."""
    return ProductFactory(name="Камера Ж 5 Мп", sku="ZH-5", category=cctv), WarehouseFactory(code="msk")


def _told(email: str) -> list:
    return [m for m in mail.outbox if m.to == [email]]


def test_a_subscriber_is_told_once_after_the_stock_service_commits(missing, django_capture_on_commit_callbacks):
    product, warehouse = missing
    stock_subscribe(product_id=product.pk, email="Ivan@Example.ru")

    with django_capture_on_commit_callbacks(execute=True):
        stock_receive(product_id=product.pk, warehouse_id=warehouse.pk, units=3)
        assert _told("ivan@example.ru") == []  # nothing while the transaction is open

    (letter,) = _told("ivan@example.ru")
    assert letter.subject == "Камера Ж 5 Мп — снова в наличии"
    assert product.get_absolute_url() in letter.body
    assert StockSubscription.objects.get().notified_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        stock_receive(product_id=product.pk, warehouse_id=warehouse.pk, units=2)
    assert len(_told("ivan@example.ru")) == 1  # the subscription ended with the first letter


def test_a_subscriber_is_told_when_a_csv_import_brings_stock(missing, tmp_path, django_capture_on_commit_callbacks):
    product, _ = missing
    stock_subscribe(product_id=product.pk, email="csv@example.ru")
    path = tmp_path / "products.csv"
    path.write_text("sku,stock_msk\nZH-5,7\n", encoding="utf-8")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_products", str(path), stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0)

    assert len(_told("csv@example.ru")) == 1


def test_a_subscriber_is_told_when_staff_enter_stock_in_the_admin(missing, client, django_capture_on_commit_callbacks):
    product, warehouse = missing
    stock = StockFactory(product=product, warehouse=warehouse, quantity=0)
    stock_subscribe(product_id=product.pk, email="admin-edit@example.ru")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    data = {
        "name": product.name,
        "slug": product.slug,
        "sku": product.sku,
        "category": str(product.category_id),
        "brand": "",
        "is_active": "on",
        "price": str(product.price),
        "old_price": "",
        "vat_rate": product.vat_rate,
        "description": "",
        "warranty_months": "12",
        "backorder_days": "",
        "weight_kg": "",
        "length_mm": "",
        "width_mm": "",
        "height_mm": "",
        "popularity": "0",
        **inline("images", []),
        **inline(
            "stocks",
            [{"id": str(stock.pk), "product": str(product.pk), "warehouse": str(warehouse.pk), "quantity": "4"}],
        ),
        **inline("attribute_values", []),
        **inline("components", []),
    }
    data["stocks-INITIAL_FORMS"] = "1"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/catalog/product/{product.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert len(_told("admin-edit@example.ru")) == 1


def test_a_product_in_stock_needs_no_subscription(missing):
    product, warehouse = missing
    StockFactory(product=product, warehouse=warehouse, quantity=20)

    with pytest.raises(AlreadyInStock) as refused:
        stock_subscribe(product_id=product.pk, email="a@example.ru")
    assert refused.value.message == "Этот товар уже в наличии: его можно заказать сейчас."


def test_a_guest_gives_an_email_and_a_customer_may_use_the_accounts(missing):
    product, _ = missing
    with pytest.raises(EmailNeeded):
        stock_subscribe(product_id=product.pk, email="  ")
    with pytest.raises(EmailNeeded):
        stock_subscribe(product_id=product.pk, email="не-почта")

    customer = UserFactory(email="me@example.ru")
    assert stock_subscribe(product_id=product.pk, email="", user=customer).email == "me@example.ru"
    assert stock_subscribe(product_id=product.pk, email="ME@example.ru", user=customer).pk == (
        StockSubscription.objects.get().pk
    )  # asked twice: one subscription


def test_the_product_page_offers_the_form_only_while_the_product_is_missing(client, missing):
    product, warehouse = missing
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'data-testid="stock-subscribe"' in html
    assert "Сообщить о поступлении" in html

    StockFactory(product=product, warehouse=warehouse, quantity=20)
    assert 'data-testid="stock-subscribe"' not in client.get(product.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("data", "told"),
    [
        ({"email": "x@example.ru"}, "Такого товара нет в каталоге."),
        ({"product": "abc", "email": "x@example.ru"}, "Такого товара нет в каталоге."),
        ({"product": "{pk}", "email": "плохой"}, "Проверьте email: в нём ошибка."),
        ({"product": "{pk}", "email": ""}, "Укажите email, на который сообщить о поступлении."),
        ({"product": "{pk}", "email": "ok@example.ru"}, "Сообщим на ok@example.ru, когда товар появится в наличии."),
    ],
)
def test_the_form_answers_in_russian_and_never_fails(client, missing, data, told):
    product, _ = missing
    data = {key: value.format(pk=product.pk) for key, value in data.items()}
    data["back"] = product.get_absolute_url()

    response = client.post("/notify/", data, follow=True)

    assert response.status_code == 200
    assert told in response.content.decode()
