"""Building the feed from the catalogue: what goes in, what stays out, how many queries, and when."""

import os
import time
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Product, Stock
from catalog.services import catalog_changed, products_changed
from catalog.tests.factories import (
    AttributeFactory,
    CategoryFactory,
    ProductAttributeValueFactory,
    ProductFactory,
    ProductImageFactory,
    StockFactory,
)
from demo.loadtest import demo_load_test_seed
from demo.seed import demo_catalog_seed
from feeds.selectors import feed_local_path
from feeds.services import REBUILD_KEY, feed_build
from feeds.tasks import feed_build_task
from feeds.validation import validate_yml

pytestmark = pytest.mark.django_db


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode())  # noqa: S314 - the shop's own feed


def offers(text: str) -> dict[str, ET.Element]:
    return {o.get("id"): o for o in parse(text).iter("offer")}


@pytest.fixture
def shelf():
    """A category under an active parent, with a brand and a warehouse."""
    return CategoryFactory(name="IP-камеры", parent=CategoryFactory(name="Видеонаблюдение"))


def stocked(**fields) -> Product:
    product = ProductFactory(**fields)
    StockFactory(product=product, quantity=20)
    return product


def test_demo_catalogue_passes_the_validator(build):
    demo_catalog_seed(images=True)

    text = build()

    on_sale = Product.objects.filter(is_active=True, is_service=False)
    assert len(offers(text)) > 0.8 * on_sale.count()
    assert all(o.findtext("url").startswith(f"http://{settings.SHOP_DOMAIN}/product/") for o in offers(text).values())
    assert all(o.find("picture") is not None for o in offers(text).values())
    assert parse(text).find("shop/offers/offer/param") is not None


def test_generated_products_pass_the_validator(build):
    demo_catalog_seed(images=False)
    demo_load_test_seed(count=300)

    text = build()

    assert sum(1 for o in offers(text) if o) > 250


def test_an_offer_carries_every_field_of_its_product(build, shelf):
    product = stocked(
        sku="DS-2CD2043",
        name="Камера Hikvision DS-2CD2043",
        category=shelf,
        brand__name="Hikvision",
        price=Decimal("4990.00"),
        old_price=Decimal("5990.00"),
        description="Уличная камера.",
    )
    ProductImageFactory(product=product, position=1)
    first = ProductImageFactory(product=product, position=0)
    ProductAttributeValueFactory(product=product, attribute=AttributeFactory(name="Разрешение", unit="Мп"), value="4")

    offer = offers(build())[str(product.pk)]

    assert offer.get("available") == "true"
    assert offer.findtext("url") == f"http://{settings.SHOP_DOMAIN}/product/{product.slug}/"
    assert (offer.findtext("price"), offer.findtext("oldprice")) == ("4990", "5990")
    assert offer.findtext("currencyId") == "RUR"
    assert offer.findtext("categoryId") == str(shelf.pk)
    pictures = [p.text for p in offer.findall("picture")]
    assert pictures[0] == f"http://{settings.SHOP_DOMAIN}{first.image.url}"
    assert len(pictures) == 2
    assert (offer.findtext("vendor"), offer.findtext("vendorCode")) == ("Hikvision", "DS-2CD2043")
    assert offer.findtext("name") == "Камера Hikvision DS-2CD2043"
    assert offer.findtext("description") == "Уличная камера."
    assert offer.find("param").attrib == {"name": "Разрешение", "unit": "Мп"}
    assert offer.findtext("param") == "4"
    assert offer.findtext("manufacturer_warranty") == "true"
    assert [offer.findtext(n) for n in ("delivery", "pickup", "store")] == ["true", "true", "false"]


def test_categories_come_parents_first_and_inactive_ones_are_absent_with_their_products(build, shelf):
    hidden_parent = CategoryFactory(name="Скрытая", is_active=False)
    under_hidden = CategoryFactory(name="Под скрытой", parent=hidden_parent)
    shown = stocked(category=shelf)
    in_hidden = stocked(category=hidden_parent)
    under = stocked(category=under_hidden)

    text = build()

    ids = [c.get("id") for c in parse(text).iter("category")]
    assert ids.index(str(shelf.parent_id)) < ids.index(str(shelf.pk))
    assert str(hidden_parent.pk) not in ids
    assert str(under_hidden.pk) not in ids
    assert set(offers(text)) >= {str(shown.pk)}
    assert str(in_hidden.pk) not in offers(text)
    assert str(under.pk) not in offers(text)


def test_products_off_sale_services_and_goods_nobody_can_order_are_absent(build, shelf):
    shown = stocked(category=shelf)
    off_sale = stocked(category=shelf, is_active=False)
    service = ProductFactory(category=shelf, is_service=True)
    out = ProductFactory(category=shelf)
    under_order = ProductFactory(category=shelf, backorder_days=5)

    found = offers(build())

    assert str(shown.pk) in found
    assert found[str(under_order.pk)].get("available") == "false"
    assert {str(off_sale.pk), str(service.pk), str(out.pk)}.isdisjoint(found)


def test_control_characters_in_the_catalogue_never_reach_the_file(build, shelf):
    product = stocked(category=shelf, name="Камера\x0b уличная\x02", description="Описание\x1f с\x85 мусором")
    ProductAttributeValueFactory(product=product, attribute=AttributeFactory(name="Пита\x07ние"), value="PoE\x01")

    offer = offers(build())[str(product.pk)]

    assert offer.findtext("name") == "Камера уличная"
    assert offer.findtext("description") == "Описание с мусором"
    assert offer.find("param").get("name") == "Питание"


def test_a_long_description_is_cut_to_3000_characters(build, shelf):
    product = stocked(category=shelf, description="Камера ]]> " + "очень " * 2000)

    description = offers(build())[str(product.pk)].findtext("description")

    assert len(description) <= 3000
    assert description.startswith("Камера ]]> очень")


def test_only_a_valid_barcode_is_written(build, shelf):
    good = stocked(category=shelf, barcode="4006381333931")
    bad = stocked(category=shelf, barcode="4006381333932")

    found = offers(build())

    assert found[str(good.pk)].findtext("barcode") == "4006381333931"
    assert found[str(bad.pk)].find("barcode") is None


def build_queries() -> int:
    feed_build()  # the category tree is read once and cached, as between two real builds
    with CaptureQueriesContext(connection) as queries:
        feed_build()
    return len(queries)


def test_the_build_makes_the_same_few_queries_for_10_and_50_products(make_products):
    products = make_products(50)
    Stock.objects.update(quantity=10)
    Product.objects.filter(pk__in=[p.pk for p in products[10:]]).update(is_active=False)
    with_10 = build_queries()
    assert validate_yml(feed_local_path()).offers == 10

    Product.objects.update(is_active=True)
    with_50 = build_queries()

    assert validate_yml(feed_local_path()).offers == 50
    assert with_10 == with_50 <= 5


def test_the_build_replaces_the_file_whole_and_leaves_no_temporary_file(build, shelf):
    product = stocked(category=shelf, price=Decimal("100.00"))
    build()
    Product.objects.filter(pk=product.pk).update(price=Decimal("200.00"))

    text = build()

    assert offers(text)[str(product.pk)].findtext("price") == "200"
    assert [p.name for p in Path(feed_local_path()).parent.iterdir()] == ["yml.xml"]


def test_a_build_removes_the_temporary_file_of_a_build_killed_long_ago(build, shelf):
    stocked(category=shelf)
    build()
    folder = Path(feed_local_path()).parent
    old, recent = folder / ".yml-old.tmp", folder / ".yml-recent.tmp"
    old.write_text("<yml_catalog>")
    recent.write_text("<yml_catalog>")
    os.utime(old, (time.time() - 2 * 60 * 60,) * 2)

    build()

    assert sorted(p.name for p in folder.iterdir()) == [".yml-recent.tmp", "yml.xml"]


def test_a_failed_build_keeps_the_published_feed(build, shelf):
    stocked(category=shelf)
    published = build()

    with mock.patch("feeds.services.write_yml", side_effect=RuntimeError("boom")), pytest.raises(RuntimeError):
        feed_build()

    assert Path(feed_local_path()).read_text(encoding="utf-8") == published
    assert [p.name for p in Path(feed_local_path()).parent.iterdir()] == ["yml.xml"]


def test_a_product_change_sends_one_build_after_commit_for_the_edits_around_it(
    shelf, django_capture_on_commit_callbacks
):
    product = stocked(category=shelf)

    with mock.patch.object(feed_build_task, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=True):
            products_changed(product_ids=[product.pk])
            catalog_changed()
            assert send.call_count == 0  # not before the commit
        with django_capture_on_commit_callbacks(execute=True):
            products_changed(product_ids=[product.pk])

        assert send.call_args_list == [mock.call(countdown=settings.FEED_REBUILD_DELAY)]

        caches["default"].delete(REBUILD_KEY)  # the delay has passed
        with django_capture_on_commit_callbacks(execute=True):
            products_changed(product_ids=[product.pk])

        assert send.call_count == 2


def test_saving_a_product_anywhere_sends_the_build_after_commit(shelf, django_capture_on_commit_callbacks):
    product = stocked(category=shelf, price=Decimal("100.00"))

    with mock.patch.object(feed_build_task, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=True):
            product.price = Decimal("120.00")
            product.save()
            assert send.call_count == 0

        assert send.call_count == 1


def test_a_product_change_rebuilds_the_feed_after_commit(build, shelf, django_capture_on_commit_callbacks):
    product = stocked(category=shelf, price=Decimal("100.00"))
    build()

    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=product.pk).update(price=Decimal("150.00"))
        products_changed(product_ids=[product.pk])

    # Without a broker the task runs at once (CELERY_TASK_ALWAYS_EAGER); a worker would run it after the delay.
    assert offers(Path(feed_local_path()).read_text(encoding="utf-8"))[str(product.pk)].findtext("price") == "150"


def test_a_change_that_is_rolled_back_sends_nothing(shelf, django_capture_on_commit_callbacks):
    product = stocked(category=shelf)

    with mock.patch.object(feed_build_task, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            products_changed(product_ids=[product.pk])

        assert send.call_count == 0
        assert len(callbacks) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_build_streams_on_postgresql_outside_a_transaction(make_products):
    make_products(30)
    Stock.objects.update(quantity=10)

    build = feed_build()

    assert build.offers == 30
    assert validate_yml(feed_local_path()).errors == []
