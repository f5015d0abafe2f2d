"""Run by test_sqlite_race in a child process on a fresh SQLite file: 20 buyers race for 5 units."""

import json
import os
import sys


def main(path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from decimal import Decimal

    from catalog.models import Stock, Warehouse
    from catalog.selectors import stock_drift
    from catalog.tests.factories import CategoryFactory, StockFactory
    from core.models import Region
    from core.testing import race
    from delivery.models import PickupKind, PickupPoint
    from demo.checkout import demo_checkout_seed
    from orders.models import Order
    from orders.tests.factories import cart_of, place

    warehouse = Warehouse.objects.create(code="msk", name="Склад Москва", city="Москва")
    warehouse.regions.set(Region.objects.filter(code="77"))
    demo_checkout_seed()
    store = PickupPoint.objects.filter(kind=PickupKind.STORE, region__code="77").first()
    camera = StockFactory(
        warehouse=warehouse, quantity=5, product__price=Decimal("1000.00"), product__category=CategoryFactory()
    ).product
    carts = [cart_of((camera, 1)) for _ in range(20)]

    results, errors = race(lambda i: place(carts[i], store, delivery="pickup"), 20)

    stock = Stock.objects.get(product=camera)
    print(
        json.dumps(
            {
                "orders": Order.objects.count(),
                "placed": len(results),
                "errors": sorted({getattr(e, "message", repr(e)) for e in errors}),
                "refused": len(errors),
                "reserved": stock.reserved,
                "drift": stock_drift(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
