import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count, Max, Min
from PIL import Image

from catalog.availability import attach_availability, with_availability
from catalog.data.reference import TOP_CATEGORIES
from catalog.models import (
    Category,
    KitComponent,
    Product,
    ProductAttributeValue,
    ProductImage,
    Stock,
    Warehouse,
)
from catalog.tests.factories import ProductFactory
from core.vat import VatRate
from demo.data import ADMIN_EMAIL, ADMIN_PASSWORD, CUSTOMER_EMAIL, CUSTOMER_PASSWORD
from demo.loadtest import SKU_PREFIX
from demo.products import KITS
from demo.seed import demo_catalog_seed, demo_users_ensure
from loyalty.selectors import points_balance

pytestmark = pytest.mark.django_db

LOGIN_LINE = f"Демо-администратор: {ADMIN_EMAIL} / {ADMIN_PASSWORD}"
CUSTOMER_LOGIN_LINE = f"Демо-покупатель: {CUSTOMER_EMAIL} / {CUSTOMER_PASSWORD}"
README = Path(settings.BASE_DIR) / "README.md"


def seed_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=io.StringIO(), verbosity=0)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "products": Product.objects.count(),
        "images": ProductImage.objects.count(),
        "stocks": Stock.objects.count(),
        "values": ProductAttributeValue.objects.count(),
        "components": KitComponent.objects.count(),
        "categories": Category.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture
def seeded():
    """The demo catalog without pictures (they take most of the seeding time), and the demo users."""
    demo_catalog_seed(images=False)
    demo_users_ensure()


def test_seed_demo_command_creates_catalog_with_pictures_and_prints_both_logins():
    output = seed_demo()

    assert 110 <= Product.objects.count() <= 150
    assert LOGIN_LINE in output
    assert CUSTOMER_LOGIN_LINE in output
    admin = get_user_model().objects.get(email=ADMIN_EMAIL)
    assert admin.is_superuser and admin.is_staff and admin.check_password(ADMIN_PASSWORD)
    assert not Product.objects.filter(images__isnull=True).exists()
    per_product = Product.objects.annotate(n=Count("images")).aggregate(low=Min("n"), high=Max("n"))
    assert per_product == {"low": 1, "high": 3}
    picture = ProductImage.objects.first()
    with Image.open(picture.image.path) as image:
        assert image.size == (800, 600)
    assert default_storage.exists(picture.thumbnail.name)


def test_seed_demo_run_twice_duplicates_nothing():
    seed_demo()
    before = counts()

    output = seed_demo()

    assert counts() == before
    assert "создано 0" in output


def test_seed_demo_if_empty_skips_when_products_exist():
    ProductFactory()

    output = seed_demo("--if-empty")

    assert Product.objects.count() == 1
    assert "уже есть товары" in output


def test_seed_demo_if_empty_still_prints_working_logins():
    ProductFactory()
    demo_users_ensure()

    output = seed_demo("--if-empty")

    assert LOGIN_LINE in output
    assert CUSTOMER_LOGIN_LINE in output


def test_seed_demo_if_empty_reports_changed_admin_password(seeded):
    admin = get_user_model().objects.get(email=ADMIN_EMAIL)
    admin.set_password("another-secret-42")
    admin.save()

    output = seed_demo("--if-empty")

    assert f"{ADMIN_EMAIL} (пароль изменён)" in output
    assert ADMIN_PASSWORD not in output
    assert CUSTOMER_LOGIN_LINE in output


def test_seed_demo_fills_every_top_category_through_subcategories(seeded):
    for slug, _name, _icon in TOP_CATEGORIES:
        top = Category.objects.get(slug=slug)
        assert top.children.count() >= 2, slug
        assert Product.objects.filter(category__parent=top).count() >= 10, slug
    assert not Product.objects.filter(category__parent__isnull=True).exists()


def test_seed_demo_stocks_every_product_in_both_warehouses_with_every_status(seeded):
    moscow, petersburg = Warehouse.objects.get(code="msk"), Warehouse.objects.get(code="spb")
    products = attach_availability(list(with_availability(Product.objects.all())))

    goods = [p for p in products if not p.is_service]
    assert {p.availability.code for p in goods} == {"in_stock", "low", "backorder", "out"}
    assert {p.availability.label for p in products if p.is_service} == {"Услуга"}
    for product in products:
        assert set(product.stocks.values_list("warehouse", flat=True)) == {moscow.pk, petersburg.pk}
    assert set(moscow.regions.values_list("code", flat=True)) >= {"77", "50", "71"}
    assert set(petersburg.regions.values_list("code", flat=True)) >= {"78", "47", "10"}


def test_seed_demo_gives_filter_attributes_with_values(seeded):
    cameras = Category.objects.get(slug="ip-kamery")
    filters = set(cameras.filter_attributes.values_list("slug", flat=True))
    camera = Product.objects.get(sku="HIK-2CD2143G2-IS")

    assert {"resolution", "view-angle", "ir-range", "power", "ip-rating"} <= filters
    values = dict(camera.attribute_values.values_list("attribute__slug", "value"))
    assert values.items() >= {"resolution": "4", "housing": "купольная", "power": "PoE", "ip-rating": "IP67"}.items()
    assert set(camera.object_types.values_list("slug", flat=True)) == {"house", "office", "warehouse"}


def test_seed_demo_prices_vat_and_dates_vary(seeded):
    assert not Product.objects.filter(price__lte=0).exists()
    assert Product.objects.filter(old_price__isnull=False).count() >= 20
    # Equipment carries the standard rate; installation and repair are sold without VAT.
    services = Product.objects.filter(category__parent__slug="montazh-i-servis")
    assert set(Product.objects.exclude(pk__in=services).values_list("vat_rate", flat=True)) == {VatRate.VAT_22}
    assert VatRate.NO_VAT in set(services.values_list("vat_rate", flat=True))
    assert Product.objects.values("created_at__date").distinct().count() >= 50
    assert Product.objects.values("popularity").distinct().count() >= 50


def test_seed_demo_makes_kits_of_real_components_cheaper_than_parts(seeded):
    for kit_data in KITS:
        kit = Product.objects.get(sku=kit_data.sku)
        components = list(kit.components.select_related("product"))
        assert {c.product.sku for c in components} == {sku for sku, _ in kit_data.components}
        parts_total = sum(c.product.price * c.quantity for c in components)
        assert kit.old_price == parts_total
        assert kit.price < parts_total


def test_seed_demo_creates_demo_customer(seeded):
    customer = get_user_model().objects.get(email=CUSTOMER_EMAIL)

    assert not customer.is_staff
    assert customer.phone == "+79161234567"


def test_seed_demo_products_tops_load_test_catalog_up_to_n():
    seed_demo()
    demo = Product.objects.count()

    seed_demo("--products", "300")
    seed_demo("--products", "300")

    generated = Product.objects.filter(sku__startswith=SKU_PREFIX)
    assert Product.objects.count() == demo + 300
    assert Stock.objects.filter(product__in=generated).count() == 600
    assert not generated.filter(search_text="").exists()
    assert not generated.filter(brand__isnull=True).exists()
    assert not generated.filter(images__isnull=True).exists()
    assert not generated.filter(attribute_values__isnull=True).exists()
    assert not generated.filter(category__parent__slug__in=["gotovye-komplekty", "montazh-i-servis"]).exists()
    assert generated.values("category").distinct().count() >= 15
    assert default_storage.exists(ProductImage.objects.filter(product__in=generated).first().image.name)

    seed_demo("--products", "320")

    assert generated.count() == 320


def test_seed_demo_refuses_a_production_database(settings):
    from django.core.management.base import CommandError

    settings.SHOP_DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="рабочую базу"):
        seed_demo()
    assert not Product.objects.exists()


def test_seed_demo_customer_gets_recommendations_on_the_home_page(client):
    seed_demo()
    assert client.login(email=CUSTOMER_EMAIL, password="customer12345")
    html = client.get("/").content.decode()
    section = html[html.index('data-testid="recommendations"') :]
    assert "Комплект видеонаблюдения" in section.split("</section>")[0]


def test_seed_demo_leaves_every_reserved_unit_held_by_a_reservation():
    seed_demo()
    out = io.StringIO()

    call_command("check_stock", stdout=out)

    assert "Остатки и резервы сходятся" in out.getvalue()


def test_the_demo_customer_has_the_points_the_readme_states():
    stated = {
        int(re.sub(r"\D", "", figure))
        for figure in re.findall(r"demo customer[^.]*? has (\d[\d \u00a0]*) (?:\w+ )?points", README.read_text())
    }
    seed_demo()

    balance = points_balance(user=get_user_model().objects.get(email=CUSTOMER_EMAIL))

    assert stated == {balance}
