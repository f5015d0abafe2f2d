"""Demo data for orders: the seller's details and a few orders of the demo customer, each with its documents."""

from django.contrib.auth import get_user_model
from django.db import transaction

from cart.models import Cart, CartLine
from catalog.availability import serving_warehouse_ids, with_region_availability
from catalog.models import Product
from core.jobs import enqueue_after_commit
from core.models import Region
from delivery.models import DeliveryKind, PickupKind, PickupPoint
from demo.data import CUSTOMER_EMAIL
from orders.models import Order, PaymentMethod, Seller
from orders.services import (
    order_cancel,
    order_complete,
    order_place,
    order_return_request,
    order_set_serials,
    order_ship,
)
from payments.providers import Notification
from payments.services import payment_apply, payment_start

# A fictional company whose ИНН, КПП, ОГРН, БИК and accounts pass their checks (the accounts' control digit
# agrees with the БИК by the Bank of Russia's rule): the one operator the consent text, documents and footer name.
SELLER = {
    "name": "ООО «Охрана Плюс»",
    "inn": "7704123450",
    "kpp": "770401001",
    "ogrn": "1027700123450",
    "address": "119034, г. Москва, ул. Пречистенка, д. 10, стр. 2",
    "site_address": "https://ohrana-plus.ru",
    "bank_name": "АО «Демо Банк», г. Москва",
    "bik": "044525225",
    "correspondent_account": "30101810400000000225",
    "settlement_account": "40702810938000012345",
    "director": "Петров П. П.",
    "accountant": "Сидорова А. А.",
}


def demo_seller_ensure() -> Seller:
    seller = Seller.objects.first()
    if seller is None:
        seller = Seller.objects.create(**SELLER)
    return seller


# The paid order's first line: an IP camera with its serial number, under warranty, so that a warranty
# repair can be tried from «Мои покупки» at once.
CAMERA_CATEGORY = "ip-kamery"
CAMERA_SERIAL = "DEMO-CAM-0001"


def _products(region: Region, count: int) -> list[Product]:
    """`count` goods in stock in the region, an IP camera with a warranty first."""
    warehouses = serving_warehouse_ids(region_id=region.pk)
    products = with_region_availability(
        Product.objects.filter(is_active=True, is_service=False, backorder_days__isnull=True), warehouse_ids=warehouses
    ).filter(available_in_region__gte=3)
    camera = products.filter(category__slug=CAMERA_CATEGORY, warranty_months__gt=0).order_by("pk").first()
    others = products.exclude(pk=camera.pk) if camera else products
    return ([camera] if camera else []) + list(others.order_by("pk")[: count - 1 if camera else count])


def _place(customer, products, point, method) -> Order:
    cart, _ = Cart.objects.get_or_create(user=customer)
    CartLine.objects.filter(cart=cart).delete()
    for product in products:
        CartLine.objects.create(
            cart=cart, product=product, product_name=product.name, product_sku=product.sku, quantity=1
        )
    data = {
        "region": str(point.region_id),
        "full_name": " ".join(p for p in (customer.last_name, customer.first_name) if p) or "Демо Покупатель",
        "email": customer.email,
        "delivery": DeliveryKind.PICKUP if point.kind == PickupKind.STORE else DeliveryKind.POINT,
        "pickup_point": str(point.pk),
    }
    return order_place(cart_id=cart.pk, user=customer, data=data, method=method)


def _pay_by_card(order: Order) -> None:
    """Pay as the sandbox's card page would: the bank holds the money and the shop captures it."""
    payment = payment_start(order=order, return_url="/", provider_name="sandbox")
    payment_apply(
        provider_name="sandbox",
        notification=Notification(
            external_id=payment.external_id, status="succeeded", amount=payment.amount, currency=payment.currency
        ),
    )


def demo_orders_seed() -> list[str]:
    """Give the demo customer orders in every state after the sale unless they have orders: paid (with a camera
    under warranty), paid and cancelled with its refund, received with a return under way, and paid on receipt."""
    demo_seller_ensure()
    customer = get_user_model().objects.filter(email=CUSTOMER_EMAIL).first()
    moscow = Region.objects.filter(code="77").first()
    store = PickupPoint.objects.filter(region=moscow, kind=PickupKind.STORE, is_active=True).first()
    if customer is None or store is None or Order.objects.filter(user=customer).exists():
        return []
    products = _products(moscow, 4)
    if len(products) < 4:
        return []
    with transaction.atomic():
        paid = _place(customer, products[:2], store, PaymentMethod.CARD)
        _pay_by_card(paid)
        order_set_serials(line_id=paid.lines.order_by("pk").first().pk, serial_numbers=CAMERA_SERIAL)
        cancelled = _place(customer, products[2:3], store, PaymentMethod.CARD)
        _pay_by_card(cancelled)
        order_cancel(order_id=cancelled.pk, author=customer)
        received = _place(customer, products[3:4], store, PaymentMethod.CARD)
        _pay_by_card(received)
        order_ship(order_id=received.pk)
        order_complete(order_id=received.pk)
        line = received.lines.get()
        order_return_request(order_id=received.pk, quantities={line.pk: 1}, reason="Не подошёл по размеру")
        on_receipt = _place(customer, products[:1], store, PaymentMethod.ON_RECEIPT)
    for order in (paid, cancelled, received, on_receipt):
        enqueue_after_commit("orders.documents", order_id=order.pk)
    return [paid.number, cancelled.number, received.number, on_receipt.number]
