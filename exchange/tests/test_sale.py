"""Orders to 1C (type=sale&mode=query, committed by mode=success) and back (mode=file + mode=import)."""

import pytest
from defusedxml import ElementTree

from accounts.tests.factories import CompanyUserFactory
from cart.models import Cart
from catalog.models import Product, Stock
from exchange.models import ExchangeEntry
from exchange.tests.conftest import data, lines
from orders.models import OrderStatus, PaymentMethod
from orders.tests.factories import cart_of, place, seller
from payments.models import Payment, PaymentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice_order(moscow_delivery, stocked_product):
    user = CompanyUserFactory()
    company = user.company

    def make(quantity=2):
        Cart.objects.filter(user=user).delete()  # one cart per account; the last order's is done with
        return place(
            cart_of((stocked_product(quantity=5), quantity), user=user),
            moscow_delivery["point"],
            user=user,
            method=PaymentMethod.INVOICE,
            company_name=company.name,
            inn=company.inn,
            kpp=company.kpp,
            legal_address=company.legal_address,
            contact_name="Пётр Иванов",
        )

    return make


def _query(one_c):
    response = one_c.call("sale", "query")
    assert response.status_code == 200
    assert "windows-1251" in response["Content-Type"]
    assert response.content.startswith(b"<?xml version='1.0' encoding='windows-1251'?>")
    return ElementTree.fromstring(response.content)


def test_query_sends_the_orders_as_commerceml_in_windows_1251(one_c, invoice_order):
    seller()
    order = invoice_order()
    product = order.lines.get().product
    Product.objects.filter(pk=product.pk).update(external_id="1c-goods-42")
    one_c.checkauth("sale")

    root = _query(one_c)

    assert root.get("ВерсияСхемы") == "2.05"
    (document,) = root.findall("Документ")
    assert document.findtext("Номер") == order.number
    assert document.findtext("Сумма") == f"{order.total:.2f}"
    party = document.find("Контрагенты/Контрагент")
    assert (party.findtext("ИНН"), party.findtext("КПП")) == (order.inn, order.kpp)
    assert party.findtext("ЮридическийАдрес/Представление") == order.legal_address
    goods = document.findall("Товары/Товар")
    assert goods[0].findtext("Ид") == "1c-goods-42"
    assert goods[0].findtext("Количество") == "2"
    assert goods[0].findtext("ЦенаЗаЕдиницу") == f"{order.lines.get().price:.2f}"
    assert goods[0].findtext("СтавкиНалогов/СтавкаНалога/Ставка") == "22"
    assert goods[-1].findtext("Ид") == "ORDER_DELIVERY"
    requisites = {
        r.findtext("Наименование"): r.findtext("Значение")
        for r in document.findall("ЗначенияРеквизитов/ЗначениеРеквизита")
    }
    assert requisites["Метод оплаты"] == "Счёт для юрлиц"
    assert requisites["Заказ оплачен"] == "false"
    assert requisites["Отменен"] == "false"
    assert requisites["Статус заказа"] == "Ожидает оплаты"


def test_the_same_orders_are_sent_again_until_success_commits_them(one_c, invoice_order):
    seller()
    first = invoice_order()
    one_c.checkauth("sale")
    assert len(_query(one_c).findall("Документ")) == 1
    assert len(_query(one_c).findall("Документ")) == 1

    assert lines(one_c.call("sale", "success"))[0] == "success"
    one_c.call("sale", "complete")
    second = invoice_order()
    one_c.checkauth("sale")

    numbers = [d.findtext("Номер") for d in _query(one_c).findall("Документ")]
    assert numbers == [second.number]
    assert first.number not in numbers


def test_orders_coming_back_from_1c_move_through_the_shops_status_services(
    one_c, invoice_order, moscow_delivery, stocked_product, django_capture_on_commit_callbacks
):
    seller()
    to_pay, to_ship, to_cancel, pending = invoice_order(), invoice_order(1), invoice_order(1), invoice_order(1)
    from payments.services import invoice_payment_record

    invoice_payment_record(order_id=to_ship.pk)
    content = data("orders_from_1c.xml")
    moves = (("ORDER-PAID", to_pay), ("ORDER-SHIP", to_ship), ("ORDER-CANCEL", to_cancel), ("ORDER-PENDING", pending))
    for placeholder, order in moves:
        content = content.replace(
            f"<Номер>{placeholder}</Номер>".encode("cp1251"), f"<Номер>{order.number}</Номер>".encode("cp1251")
        )
    one_c.checkauth("sale")
    one_c.call("sale", "init")
    one_c.send("sale", "orders.xml", content)

    with django_capture_on_commit_callbacks(execute=True):
        answer = lines(one_c.call("sale", "import", filename="orders.xml"))

    assert answer[0] == "success"
    for order in (to_pay, to_ship, to_cancel, pending):
        order.refresh_from_db()
    assert to_pay.status == OrderStatus.PAID
    assert to_pay.history.last().note == "Оплата по счёту получена"
    assert Payment.objects.get(order=to_pay).status == PaymentStatus.SUCCEEDED
    assert to_ship.status == OrderStatus.SHIPPED
    assert to_cancel.status == OrderStatus.CANCELLED
    assert to_cancel.history.last().note == "Отменён в 1С"
    assert pending.status == OrderStatus.AWAITING_PAYMENT  # «T» is 1C's empty date
    assert ExchangeEntry.objects.filter(message=f"{pending.number}: проведён в 1С").exists()
    stock = Stock.objects.get(product=to_cancel.lines.get().product)
    assert stock.reserved == 0

    again = lines(one_c.call("sale", "import", filename="orders.xml"))
    assert again[0] == "success"
    to_pay.refresh_from_db()
    assert to_pay.status == OrderStatus.PAID
    assert ExchangeEntry.objects.filter(message__endswith="счёт оплачен").count() == 1


def test_an_order_1c_names_that_the_shop_lacks_is_logged_with_its_line(one_c):
    one_c.checkauth("sale")
    one_c.call("sale", "init")
    one_c.send("sale", "orders.xml", data("orders_from_1c.xml"))

    assert lines(one_c.call("sale", "import", filename="orders.xml"))[0] == "success"
    errors = list(ExchangeEntry.objects.filter(is_error=True).values_list("line", "message"))
    assert errors == [
        (5, "Заказ ORDER-PAID не найден"),
        (29, "Заказ ORDER-SHIP не найден"),
        (50, "Заказ ORDER-CANCEL не найден"),
        (63, "Заказ ORDER-PENDING не найден"),
    ]


def test_a_private_buyers_order_names_the_person(one_c, moscow_delivery, stocked_product):
    seller()
    order = place(cart_of((stocked_product(quantity=3), 1)), moscow_delivery["point"])
    one_c.checkauth("sale")

    (document,) = _query(one_c).findall("Документ")

    party = document.find("Контрагенты/Контрагент")
    assert party.findtext("ПолноеНаименование") == order.full_name == "Иванова Ирина Петровна"
    assert party.find("ИНН") is None
    goods = document.findall("Товары/Товар")
    assert goods[-1].findtext("Наименование") == f"Доставка: {order.delivery_name}"
    assert goods[-1].findtext("Сумма") == f"{order.delivery_cost:.2f}"
