import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CompanyUserFactory, UserFactory
from cart.tests.factories import CartLineFactory
from catalog.models import Product
from delivery.exceptions import WindowFull, WindowInPast
from delivery.tests.factories import CourierWindowFactory, region
from loyalty.services import points_earn
from orders import forms
from orders.models import Order
from orders.state import REGION_SESSION_KEY
from promotions.tests.factories import PromoCodeFactory

pytestmark = pytest.mark.django_db

URL = "/checkout/"
PAYMENT_URL = "/checkout/payment/"


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def window(date=None, slot="10-13") -> str:
    return f"{(date or tomorrow()).isoformat()}|{slot}"


def courier_order(**extra) -> dict:
    data = {
        "region": str(region("77").pk),
        "full_name": "Иванова Ирина Петровна",
        "email": "irina@example.ru",
        "phone": "",
        "delivery": "courier",
        "courier_address": "г. Москва, ул. Тверская, д. 7, кв. 12",
        "window": window(),
        "promo_code": "",
        "points": "",
        "action": "pay",
    }
    return data | extra


def errors_of(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def test_urls_keep_their_contract():
    assert reverse("orders:checkout") == URL
    assert reverse("orders:payment") == PAYMENT_URL


def test_cart_page_leads_to_checkout(client, guest_with_cart):
    response = client.get("/cart/")

    assert 'href="/checkout/"' in response.content.decode()
    assert "Оформить заказ" in response.content.decode()


def test_empty_cart_goes_back_to_the_cart(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/cart/"


def test_page_shows_the_regions_methods_with_cost_and_date(client, guest_with_cart):
    response = client.post(URL, {"region": region("77").pk, "action": "refresh"}, follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert [v.kind for v in response.context["result"].offers] == ["courier", "pickup", "point", "post"]
    assert "Получение завтра" in html
    assert "Получение через 6 дней" in html
    assert "Магазин на Электродной" in html
    assert "ПВЗ Невский" not in html
    assert "12\u00a0000\u00a0₽" in html


def test_guest_courier_order_reaches_payment_with_the_right_total(client, guest_with_cart):
    response = client.post(URL, courier_order())

    assert response.status_code == 302
    assert response.url == PAYMENT_URL
    page = client.get(PAYMENT_URL)
    assert page.status_code == 200
    pricing = page.context["result"].pricing
    assert (pricing.goods, pricing.delivery, pricing.total) == (
        Decimal("12000.00"),
        Decimal("390.00"),
        Decimal("12390.00"),
    )
    assert "в т.ч. НДС" in page.content.decode()


def test_state_survives_leaving_and_a_reload(client, guest_with_cart):
    client.post(URL, courier_order(action="refresh"))

    response = client.get(URL)

    form = response.context["form"]
    assert form["full_name"].value() == "Иванова Ирина Петровна"
    assert form["window"].value() == window()
    assert client.session[REGION_SESSION_KEY] == region("77").pk


def test_welcome10_applies_and_is_removed(client, guest_with_cart):
    PromoCodeFactory(code="WELCOME10", value=Decimal("10"), min_order=Decimal("3000"), per_customer_limit=1)

    client.post(URL, courier_order(promo_code="welcome10", action="promo_apply"))
    applied = client.get(URL)
    assert applied.context["result"].pricing.discount == Decimal("1200.00")
    assert applied.context["result"].pricing.total == Decimal("11190.00")

    client.post(URL, courier_order(promo_code="WELCOME10", action="promo_remove"))
    removed = client.get(URL)
    assert removed.context["result"].pricing.discount == Decimal("0.00")


@pytest.mark.parametrize(
    ("promo", "message"),
    [
        ({"valid_to": timezone.now() - datetime.timedelta(days=1)}, "Промокод истёк"),
        ({"min_order": Decimal("50000")}, "Минимальная сумма заказа 50\u00a0000\u00a0₽"),
        ({"max_uses": 1, "uses_count": 1}, "Лимит использований промокода исчерпан"),
    ],
)
def test_promo_refusals_say_why_beside_the_field(client, guest_with_cart, promo, message):
    PromoCodeFactory(code="SALE", **promo)

    response = client.post(URL, courier_order(promo_code="SALE", action="promo_apply"))

    assert response.status_code == 200
    assert errors_of(response, "promo_code") == [message]
    assert response.context["form"]["full_name"].value() == "Иванова Ирина Петровна"


def test_promo_already_used_by_this_customer(client, guest_with_cart):
    from promotions.services import promo_redeem

    PromoCodeFactory(code="WELCOME10", per_customer_limit=1)
    promo_redeem(code="WELCOME10", customer_key="email:irina@example.ru")

    response = client.post(URL, courier_order(promo_code="WELCOME10", action="promo_apply"))

    assert errors_of(response, "promo_code") == ["Промокод уже использован"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("region", "999999", forms.REGION_UNKNOWN),
        ("region", "abc", forms.REGION_UNKNOWN),
        ("region", "", forms.REGION_UNKNOWN),
        ("window", window(timezone.localdate() - datetime.timedelta(days=2)), WindowInPast.message),
        ("window", window(timezone.localdate()), WindowInPast.message),
        ("window", "2026-13-45|10-13", forms.WINDOW_UNKNOWN),
        ("window", window(slot="03-04"), forms.WINDOW_UNKNOWN),
        ("window", "", forms.WINDOW_REQUIRED),
        ("delivery", "teleport", forms.DELIVERY_UNAVAILABLE),
        ("points", "-5", forms.POINTS_NEGATIVE),
        ("points", "1.5", forms.POINTS_INVALID),
        ("promo_code", "X" * 10_000, "Такого промокода нет"),
        ("promo_code", "NOPE", "Такого промокода нет"),
        ("email", "", forms.CONTACT_REQUIRED),
        ("full_name", "", forms.REQUIRED),
        ("courier_address", "", forms.REQUIRED),
    ],
)
def test_bad_values_get_a_message_beside_their_field_and_keep_the_rest(client, guest_with_cart, field, value, message):
    response = client.post(URL, courier_order(**{field: value}))

    assert response.status_code == 200
    assert message in errors_of(response, field)
    form = response.context["form"]
    kept = "courier_address" if field != "courier_address" else "full_name"
    assert form[kept].value() == courier_order()[kept]


def test_a_full_window_cannot_be_chosen(client, guest_with_cart, moscow_delivery):
    CourierWindowFactory(zone=moscow_delivery["zone"], date=tomorrow(), slot="10-13", capacity=2, booked=2)

    page = client.post(URL, courier_order(action="refresh"))
    response = client.post(URL, courier_order())

    assert "мест нет" in page.content.decode()
    assert errors_of(response, "window") == [WindowFull.message]


def test_a_pickup_point_of_another_region_is_refused(client, guest_with_cart, moscow_delivery):
    response = client.post(
        URL, courier_order(delivery="point", pickup_point=str(moscow_delivery["spb_point"].pk), window="")
    )

    assert errors_of(response, "pickup_point") == [forms.POINT_FOREIGN]


@pytest.mark.parametrize("tampered", ["0", "-1", "abc", "99999999999999999999"])
def test_a_tampered_pickup_point_id_is_refused(client, guest_with_cart, tampered):
    response = client.post(URL, courier_order(delivery="pickup", pickup_point=tampered, window=""))

    assert response.status_code == 200
    assert errors_of(response, "pickup_point") == [forms.POINT_FOREIGN]


def test_a_method_the_region_lacks_is_refused(client, guest_with_cart):
    client.post(URL, courier_order(action="refresh"))
    response = client.post(URL, courier_order(region=str(region("78").pk)))
    # A new region forgets the old delivery choice, so the buyer chooses again.
    assert errors_of(response, "delivery") == [forms.DELIVERY_REQUIRED]

    client.post(URL, courier_order(region=str(region("78").pk), action="refresh"))
    response = client.post(URL, courier_order(region=str(region("78").pk), delivery="courier"))
    assert errors_of(response, "delivery") == [forms.DELIVERY_UNAVAILABLE]


def test_pickup_in_a_store_reaches_payment(client, guest_with_cart, moscow_delivery):
    response = client.post(
        URL,
        courier_order(delivery="pickup", pickup_point=str(moscow_delivery["store"].pk), window="", courier_address=""),
    )

    assert response.status_code == 302
    page = client.get(PAYMENT_URL)
    assert "Магазин на Электродной" in page.content.decode()
    assert page.context["result"].pricing.delivery == Decimal("0.00")


def test_guest_cannot_pay_with_points(client, guest_with_cart):
    response = client.post(URL, courier_order(points="100"))

    assert errors_of(response, "points") == ["Баллы можно использовать после входа в аккаунт"]


# --- signed-in customers ----------------------------------------------------------------------


@pytest.fixture
def customer_with_cart(client, stocked_product):
    from cart.tests.factories import CartFactory, CartLineFactory

    user = UserFactory(first_name="Ирина", last_name="Иванова", region=region("77"))
    points_earn(user=user, amount=1500)
    cart = CartFactory(user=user, session_key=None)
    CartLineFactory(cart=cart, product=stocked_product("5000.00"), quantity=2)
    client.force_login(user)
    return user


def test_signed_in_buyer_is_filled_from_the_profile(client, customer_with_cart):
    response = client.get(URL)

    form = response.context["form"]
    assert form["full_name"].value() == "Иванова Ирина"
    assert form["email"].value() == customer_with_cart.email
    assert form["region"].value() == str(region("77").pk)
    assert "На счёте 1500 баллов" in response.content.decode()


def test_signed_in_buyer_is_offered_the_address_of_their_latest_courier_order(
    client, customer_with_cart, moscow_delivery, stocked_product
):
    from orders.tests.factories import cart_of, place

    for address in ("г. Москва, ул. Ленина, д. 1", "г. Москва, ул. Тверская, д. 7, кв. 12"):
        order = place(cart_of((stocked_product(), 1)), moscow_delivery["point"], user=customer_with_cart)
        Order.objects.filter(pk=order.pk).update(courier_address=address)

    for _ in range(2):  # the page, then the page read again from the checkout's kept reads
        form = client.get(URL).context["form"]
        assert form["courier_address"].value() == "г. Москва, ул. Тверская, д. 7, кв. 12"
    sent = client.post(URL, courier_order(courier_address="г. Москва, ул. Арбат, д. 2", action="refresh"))
    assert sent.status_code == 302
    assert client.get(URL).context["form"]["courier_address"].value() == "г. Москва, ул. Арбат, д. 2"


def test_customer_pays_part_with_points_and_sees_what_the_order_earns(client, customer_with_cart):
    response = client.post(URL, courier_order(full_name="Иванова Ирина", points="1500"))

    assert response.status_code == 302
    pricing = client.get(PAYMENT_URL).context["result"].pricing
    assert (pricing.points, pricing.total, pricing.earns) == (1500, Decimal("8890.00"), 425)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("1501", "На счёте только 1500 баллов"),
        ("-1", forms.POINTS_NEGATIVE),
        ("0.5", forms.POINTS_INVALID),
        ("1e3", forms.POINTS_INVALID),
    ],
)
def test_points_over_balance_or_malformed_are_refused(client, customer_with_cart, points, message):
    response = client.post(URL, courier_order(points=points))

    assert errors_of(response, "points") == [message]


def test_points_over_the_cap_are_refused(client, customer_with_cart):
    points_earn(user=customer_with_cart, amount=5000)

    response = client.post(URL, courier_order(points="3001"))

    assert errors_of(response, "points") == [
        "Баллами можно оплатить не больше 3\u00a0000\u00a0₽ (30% стоимости товаров)"
    ]


def test_minus500_does_not_combine_with_points(client, customer_with_cart):
    PromoCodeFactory(
        code="MINUS500", kind="fixed", value=Decimal("500"), min_order=Decimal("5000"), combines_with_points=False
    )

    response = client.post(URL, courier_order(promo_code="MINUS500", points="100"))

    assert errors_of(response, "points") == ["Промокод MINUS500 нельзя сочетать с оплатой баллами"]


def test_company_buyer_sees_its_details_and_the_vat_line(client, stocked_product):
    from cart.tests.factories import CartFactory, CartLineFactory

    user = CompanyUserFactory()
    CartLineFactory(cart=CartFactory(user=user, session_key=None), product=stocked_product("12200.00"))
    client.force_login(user)

    page = client.get(URL)
    html = page.content.decode()
    assert page.context["form"]["inn"].value() == "7707083893"
    assert 'data-testid="company-details"' in html
    assert "в т.ч. НДС" not in html

    data = courier_order(
        company_name="ООО «Ромашка»", inn="7707083893", kpp="773601001", legal_address="Москва", contact_name="Пётр"
    )
    assert client.post(URL, data).status_code == 302
    payment = client.get(PAYMENT_URL)
    assert "ООО «Ромашка»" in payment.content.decode()
    # The company's own record is untouched: the change is for this order only.
    user.company.refresh_from_db()
    assert user.company.name == "ПАО Сбербанк"
    assert payment.context["result"].pricing.vat == Decimal("2270.33")


def test_company_details_are_checked(client, stocked_product):
    from cart.tests.factories import CartFactory, CartLineFactory

    user = CompanyUserFactory()
    CartLineFactory(cart=CartFactory(user=user, session_key=None), product=stocked_product())
    client.force_login(user)

    response = client.post(
        URL, courier_order(company_name="ООО", inn="1234567890", kpp="", legal_address="", contact_name="Пётр")
    )

    assert response.context["form"].errors["inn"]
    assert errors_of(response, "legal_address") == [forms.REQUIRED]


def test_payment_page_without_a_complete_checkout_goes_back(client, guest_with_cart):
    response = client.get(PAYMENT_URL)

    assert response.status_code == 302
    assert response.url == URL


def test_goods_under_order_push_the_date_back(client, guest_with_cart, moscow_delivery):
    from catalog.tests.factories import ProductFactory

    CartLineFactory(cart=guest_with_cart, product=ProductFactory(backorder_days=5), quantity=1)

    response = client.post(URL, {"region": region("77").pk, "action": "refresh"}, follow=True)

    views = {v.kind: v for v in response.context["result"].offers}
    assert views["courier"].when == "через 5 дней"
    assert views["post"].when == "через 10 дней"
    assert response.context["info"].windows[0].date == timezone.localdate() + datetime.timedelta(days=5)


def test_goods_held_only_outside_the_region_cannot_be_ordered_there(client, guest_with_cart):
    from catalog.tests.factories import StockFactory, WarehouseFactory

    far = WarehouseFactory(code="spb", name="Склад СПб")
    far.regions.set([region("78")])
    item = StockFactory(warehouse=far, quantity=5, product__name="Датчик дыма").product
    CartLineFactory(cart=guest_with_cart, product=item, quantity=1)

    response = client.post(URL, courier_order())

    assert response.status_code == 200
    assert "«Датчик дыма» нельзя доставить в этот регион" in response.content.decode()


# --- «Оплата»: confirming -------------------------------------------------------------------------


def shown_total(response) -> str:
    """The total the «Оплата» page carries in its form, as the browser would send it back."""
    match = re.search(r'name="expected_total" value="([^"]*)"', response.content.decode())
    assert match, "the payment form carries no total"
    return match.group(1)


def test_a_total_changed_since_the_payment_page_is_named_and_the_next_confirm_places_it(client, guest_with_cart):
    client.post(URL, courier_order())
    page = client.get(PAYMENT_URL)
    assert shown_total(page) == "12390.00"
    camera = guest_with_cart.lines.get(quantity=2).product
    Product.objects.filter(pk=camera.pk).update(price=Decimal("6000.00"))

    refused = client.post(PAYMENT_URL, {"payment_method": "card", "expected_total": shown_total(page)})

    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Сумма заказа изменилась: было 12\u00a0390\u00a0₽, стало 14\u00a0390\u00a0₽" in html
    assert 'data-testid="sum-total">14\u00a0390\u00a0₽<' in html
    assert shown_total(refused) == "14390.00"
    assert not Order.objects.exists()

    placed = client.post(PAYMENT_URL, {"payment_method": "card", "expected_total": shown_total(refused)})

    order = Order.objects.get()
    assert placed.status_code == 302
    assert placed.url == f"/orders/{order.number}/"
    assert order.total == Decimal("14390.00")


def test_a_repeated_confirm_lands_on_the_order_it_made(client, guest_with_cart):
    client.post(URL, courier_order())
    form = {"payment_method": "card", "expected_total": "12390.00"}
    first = client.post(PAYMENT_URL, form)

    again = client.post(PAYMENT_URL, form)

    order = Order.objects.get()
    assert first.url == again.url == f"/orders/{order.number}/"
    assert client.get(again.url).status_code == 200


def test_a_confirm_with_an_empty_cart_and_no_order_goes_to_the_cart(client, guest_with_cart):
    client.post(URL, courier_order())
    guest_with_cart.lines.all().delete()

    response = client.post(PAYMENT_URL, {"payment_method": "card"})

    assert response.url == "/cart/"
    assert not Order.objects.exists()


def test_a_repeated_confirm_never_reaches_an_order_of_another_cart(client, guest_with_cart, moscow_delivery):
    from orders.tests.factories import cart_of, place

    client.post(URL, courier_order())
    place(cart_of((guest_with_cart.lines.first().product, 1)), moscow_delivery["point"])
    guest_with_cart.lines.all().delete()

    response = client.post(PAYMENT_URL, {"payment_method": "card"})

    assert response.url == "/cart/"


# --- «Оплата»: an email for the receipt ---------------------------------------------------------

PHONE_ONLY = {"email": "", "phone": "+7 916 123-45-67"}


def test_a_buyer_with_an_email_is_not_asked_for_another(client, guest_with_cart):
    client.post(URL, courier_order())

    page = client.get(PAYMENT_URL)

    assert "receipt_email" not in page.context["method_form"].fields


def test_a_buyer_with_only_a_phone_is_asked_for_an_email_to_pay_online(client, guest_with_cart):
    client.post(URL, courier_order(**PHONE_ONLY))
    assert "Email для чека" in client.get(PAYMENT_URL).content.decode()

    response = client.post(PAYMENT_URL, {"payment_method": "sbp", "expected_total": "12390.00"})

    assert response.status_code == 200
    assert response.context["method_form"].errors["receipt_email"] == [forms.RECEIPT_EMAIL_REQUIRED]
    assert forms.RECEIPT_EMAIL_REQUIRED in response.content.decode()
    assert not Order.objects.exists()


def test_a_malformed_receipt_email_is_refused_and_kept(client, guest_with_cart):
    client.post(URL, courier_order(**PHONE_ONLY))

    response = client.post(
        PAYMENT_URL, {"payment_method": "card", "receipt_email": "irina@", "expected_total": "12390.00"}
    )

    assert response.context["method_form"].errors["receipt_email"] == [forms.RECEIPT_EMAIL_INVALID]
    assert 'value="irina@"' in response.content.decode()
    assert 'name="payment_method" value="card"' in response.content.decode()
    assert not Order.objects.exists()


def test_the_receipt_email_becomes_the_orders_email(client, guest_with_cart):
    client.post(URL, courier_order(**PHONE_ONLY))

    response = client.post(
        PAYMENT_URL, {"payment_method": "card", "receipt_email": "irina@example.ru", "expected_total": "12390.00"}
    )

    order = Order.objects.get()
    assert response.url == f"/orders/{order.number}/"
    assert (order.email, order.phone) == ("irina@example.ru", "+79161234567")


def test_payment_on_receipt_needs_no_email(client, guest_with_cart):
    client.post(URL, courier_order(**PHONE_ONLY))

    response = client.post(PAYMENT_URL, {"payment_method": "on_receipt", "expected_total": "12390.00"})

    order = Order.objects.get()
    assert response.url == f"/orders/{order.number}/"
    assert order.email == ""


# --- the pages after «Оплата» ---------------------------------------------------------------------


def test_the_order_page_puts_the_payment_first_and_the_account_offer_after(client, guest_with_cart):
    client.post(URL, courier_order())
    payment = client.get(PAYMENT_URL)
    assert payment.status_code == 200

    placed = client.post(PAYMENT_URL, {"payment_method": "card", "expected_total": "12390.00"})
    page = client.get(placed.url)

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="account-offer"' in html
    assert html.index('data-testid="order-pay"') < html.index('data-testid="account-offer"')
    assert html.index("Оплатить</button>") < html.index('data-testid="order-lines"')
    assert "в т.ч. НДС" in html


def test_a_companys_order_page_shows_vat_on_its_own_line(client, stocked_product):
    from cart.tests.factories import CartFactory

    user = CompanyUserFactory()
    CartLineFactory(cart=CartFactory(user=user, session_key=None), product=stocked_product("12200.00"))
    client.force_login(user)
    client.post(
        URL,
        courier_order(
            company_name="ООО «Ромашка»", inn="7707083893", kpp="773601001", legal_address="Москва", contact_name="Пётр"
        ),
    )
    placed = client.post(PAYMENT_URL, {"payment_method": "invoice", "expected_total": "12590.00"})

    html = client.get(placed.url).content.decode()

    assert "в т.ч. НДС 2\u00a0270,33\u00a0₽" not in html
    assert 'data-testid="sum-vat"><span>НДС</span><span class="price">2\u00a0270,33\u00a0₽</span>' in html
