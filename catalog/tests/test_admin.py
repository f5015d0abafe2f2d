import io
import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import Category, Product, ProductImage, Stock
from catalog.tests.factories import (
    BrandFactory,
    KitComponentFactory,
    ProductFactory,
    StockFactory,
    WarehouseFactory,
    image_file,
)
from catalog.validators import IMAGE_BROKEN, IMAGE_TOO_LARGE, IMAGE_TOO_MANY_PIXELS

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/catalog/product/add/"


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.com", password="admin-pass-123")
    client.force_login(admin)
    return client


def inline(prefix, rows, total=None):
    data = {
        f"{prefix}-TOTAL_FORMS": str(total if total is not None else len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def product_form(**overrides):
    category = Category.objects.get(slug="videonablyudenie")
    warehouse = WarehouseFactory()
    data = {
        "name": "Камера Hikvision DS-2CD1043G2-I",
        "slug": "kamera-hikvision-ds-2cd1043g2-i",
        "sku": "DS-2CD1043G2-I",
        "category": str(category.pk),
        "brand": str(BrandFactory(name="Hikvision", slug="hikvision").pk),
        "is_active": "on",
        "price": "6990",
        "old_price": "",
        "vat_rate": "22",
        "description": "Уличная IP-камера 4 Мп",
        "warranty_months": "36",
        "backorder_days": "",
        "weight_kg": "0.45",
        "length_mm": "",
        "width_mm": "",
        "height_mm": "",
        "popularity": "0",
        **inline("images", [{"image": image_file("front.png"), "alt": "Вид спереди", "position": "0"}]),
        **inline("stocks", [{"warehouse": str(warehouse.pk), "quantity": "12"}]),
        **inline("attribute_values", []),
        **inline("components", []),
    }
    data.update(overrides)
    return data


def test_admin_adds_product_with_image_and_stock(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(ADD_URL, product_form())
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    product = Product.objects.get(sku="DS-2CD1043G2-I")
    assert product.price == Decimal("6990")
    assert product.vat_rate == "22"
    assert Stock.objects.get(product=product).quantity == 12
    image = ProductImage.objects.get(product=product)
    assert image.alt == "Вид спереди"
    assert image.thumbnail.url.endswith(".jpg")
    # Stored at save, so pages print it without imagekit: the 60 × 40 picture fitted into 400 × 400.
    assert (image.thumbnail_name, image.thumbnail_width, image.thumbnail_height) == (image.thumbnail.name, 400, 267)
    assert "камера" in product.search_text and "hikvision" in product.search_text
    assert staff_client.get(product.get_absolute_url()).status_code == 200


def form_errors(response):
    form = response.context["adminform"].form
    errors = {field: list(messages) for field, messages in form.errors.items()}
    for formset in response.context["inline_admin_formsets"]:
        for i, form_errors in enumerate(formset.formset.errors):
            for field, messages in form_errors.items():
                errors[f"{formset.formset.prefix}-{i}-{field}"] = list(messages)
    return errors


@pytest.mark.parametrize("price", ["0", "-10"])
def test_admin_refuses_price_not_above_zero(staff_client, price):
    response = staff_client.post(ADD_URL, product_form(price=price))
    assert response.status_code == 200
    assert "Цена должна быть больше нуля." in form_errors(response)["price"]
    assert 'value="Камера Hikvision DS-2CD1043G2-I"' in response.content.decode()


def test_admin_refuses_duplicate_sku(staff_client):
    ProductFactory(sku="DS-2CD1043G2-I")
    response = staff_client.post(ADD_URL, product_form())
    assert form_errors(response)["sku"] == ["Товар с таким Артикул уже существует."]


def test_admin_refuses_old_price_below_price(staff_client):
    response = staff_client.post(ADD_URL, product_form(old_price="5000"))
    assert form_errors(response)["old_price"] == ["Старая цена должна быть выше текущей."]


def test_admin_refuses_a_file_that_is_not_an_image(staff_client):
    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png")
    data = product_form(**{"images-0-image": fake})
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Загрузите правильное изображение" in form_errors(response)["images-0-image"][0]
    assert not Product.objects.exists()


def test_admin_refuses_an_image_over_10_mb(staff_client):
    noise = Image.frombytes("RGB", (1900, 1900), os.urandom(1900 * 1900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > 10 * 1024 * 1024
    big = SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")
    response = staff_client.post(ADD_URL, product_form(**{"images-0-image": big}))
    assert response.status_code == 200
    assert form_errors(response)["images-0-image"] == [IMAGE_TOO_LARGE]
    assert not Product.objects.exists()


def _stored_media(settings) -> list[str]:
    return [os.path.join(root, name) for root, _, names in os.walk(settings.MEDIA_ROOT) for name in names]


def test_admin_refuses_an_image_over_40_megapixels_before_decoding_it(staff_client, settings, monkeypatch):
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000), 1).save(buffer, "PNG")
    assert buffer.tell() < 500 * 1024
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda image: decoded.append(image.size))
    huge = SimpleUploadedFile("flat.png", buffer.getvalue(), content_type="image/png")
    response = staff_client.post(ADD_URL, product_form(**{"images-0-image": huge}))
    assert response.status_code == 200
    assert form_errors(response)["images-0-image"] == [IMAGE_TOO_MANY_PIXELS]
    assert (12000, 12000) not in decoded
    assert not Product.objects.exists()
    assert _stored_media(settings) == []


def test_admin_refuses_a_truncated_jpeg_and_stores_nothing(staff_client, settings):
    buffer = io.BytesIO()
    Image.frombytes("RGB", (300, 200), os.urandom(300 * 200 * 3)).save(buffer, "JPEG", quality=90)
    truncated = SimpleUploadedFile("cut.jpg", buffer.getvalue()[: buffer.tell() // 2], content_type="image/jpeg")
    response = staff_client.post(ADD_URL, product_form(**{"images-0-image": truncated}))
    assert response.status_code == 200
    assert form_errors(response)["images-0-image"] == [IMAGE_BROKEN]
    assert not Product.objects.exists()
    assert _stored_media(settings) == []


def test_image_size_validator_refuses_over_10_mb():
    from django.core.exceptions import ValidationError

    from catalog.validators import validate_image_size

    big = image_file()
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError, match="10 МБ"):
        validate_image_size(big)
    big.size = 10 * 1024 * 1024
    validate_image_size(big)


def test_admin_delete_asks_for_confirmation_then_deletes(staff_client):
    product = ProductFactory(name="Датчик протечки Нептун")
    StockFactory(product=product)
    url = f"/admin/catalog/product/{product.pk}/delete/"
    confirmation = staff_client.get(url)
    assert confirmation.status_code == 200
    assert "Вы уверены" in confirmation.content.decode()
    assert Product.objects.filter(pk=product.pk).exists()
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()
    assert staff_client.get(f"/product/{product.slug}/").status_code == 404


def test_deleting_a_kit_component_takes_the_kit_off_sale_with_a_message(staff_client):
    camera = ProductFactory(name="Камера купольная")
    kit = ProductFactory(name="Комплект для квартиры")
    other_kit = ProductFactory(name="Комплект без этой камеры")
    KitComponentFactory(kit=kit, product=camera, quantity=2)
    KitComponentFactory(kit=other_kit, product=ProductFactory())

    response = staff_client.post(f"/admin/catalog/product/{camera.pk}/delete/", {"post": "yes"}, follow=True)

    kit.refresh_from_db()
    other_kit.refresh_from_db()
    assert (kit.is_active, other_kit.is_active) == (False, True)
    assert "Сняты с продажи комплекты, в которые входил удалённый товар: Комплект для квартиры" in (
        response.content.decode()
    )


def test_bulk_delete_of_a_kit_and_its_component_reports_no_kit(staff_client):
    camera = ProductFactory()
    kit = ProductFactory()
    KitComponentFactory(kit=kit, product=camera)
    response = staff_client.post(
        "/admin/catalog/product/",
        {"action": "delete_selected", "_selected_action": [camera.pk, kit.pk], "post": "yes"},
        follow=True,
    )
    assert not Product.objects.exists()
    assert "Сняты с продажи комплекты" not in response.content.decode()


@pytest.mark.parametrize(("action", "start", "end"), [("take_off_sale", True, False), ("put_on_sale", False, True)])
def test_admin_bulk_sale_actions(staff_client, action, start, end):
    products = [ProductFactory(is_active=start) for _ in range(3)]
    response = staff_client.post(
        "/admin/catalog/product/",
        {"action": action, "_selected_action": [str(p.pk) for p in products[:2]]},
    )
    assert response.status_code == 302
    assert [p.is_active for p in Product.objects.order_by("pk")] == [end, end, start]


def test_admin_product_list_shows_every_product_and_offers_both_sale_actions(staff_client):
    products = ProductFactory.create_batch(3)
    html = staff_client.get("/admin/catalog/product/").content.decode()
    for product in products:
        assert f'href="/admin/catalog/product/{product.pk}/change/' in html
    assert '<option value="take_off_sale">Снять с продажи</option>' in html
    assert '<option value="put_on_sale">Вернуть в продажу</option>' in html


def test_admin_is_in_russian_and_closed_to_customers(client, django_user_model):
    customer = django_user_model.objects.create_user(email="buyer@example.com", password="buyer-pass-123")
    client.force_login(customer)
    response = client.get("/admin/catalog/product/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("query", ["%00", "камера%00", "%27"])
def test_admin_product_search_survives_hostile_input(staff_client, query):
    ProductFactory.create_batch(2)
    assert staff_client.get(f"/admin/catalog/product/?q={query}").status_code == 200


@pytest.fixture
def view_only_client(client, django_user_model):
    """A staff member who may look at every model in the admin and change nothing."""
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user(
        email="viewer@example.com", password="viewer-pass-123", is_staff=True
    )
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    return client, viewer


def test_every_admin_action_declares_its_permission_and_is_hidden_from_view_only_staff(view_only_client, rf):
    from django.contrib import admin

    _, viewer = view_only_client
    request = rf.get("/admin/")
    request.user = viewer
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.actions or ():
            func = getattr(model_admin, name) if isinstance(name, str) else name
            assert getattr(func, "allowed_permissions", ()), f"{model.__name__}: action {name} declares no permission"
        assert model_admin.get_actions(request) == {}, model.__name__


@pytest.mark.parametrize(("action", "start"), [("take_off_sale", True), ("put_on_sale", False)])
def test_view_only_staff_cannot_run_the_sale_actions(view_only_client, action, start):
    client, _ = view_only_client
    products = [ProductFactory(is_active=start) for _ in range(2)]
    response = client.post(
        "/admin/catalog/product/", {"action": action, "_selected_action": [str(p.pk) for p in products]}
    )
    assert response.status_code in (200, 302, 403)
    assert [p.is_active for p in Product.objects.order_by("pk")] == [start, start]


def test_admin_product_list_shows_stock_free_to_sell(staff_client):
    moscow, petersburg = WarehouseFactory(code="msk"), WarehouseFactory(code="spb", name="Склад СПб")
    camera, sold_out, _without_stock = ProductFactory.create_batch(3)
    StockFactory(product=camera, warehouse=moscow, quantity=10, reserved=3)
    StockFactory(product=camera, warehouse=petersburg, quantity=5, reserved=0)
    StockFactory(product=sold_out, warehouse=moscow, quantity=4, reserved=4)

    html = staff_client.get("/admin/catalog/product/").content.decode()

    assert html.count('<td class="field-stock_total">12</td>') == 1
    assert html.count('<td class="field-stock_total">0</td>') == 2
    assert ">Свободно<" in html


def _list_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/admin/catalog/product/").status_code == 200
    return len(captured)


def test_admin_product_list_query_count_does_not_grow_with_products(staff_client):
    warehouse = WarehouseFactory()
    for product in ProductFactory.create_batch(5):
        StockFactory(product=product, warehouse=warehouse, quantity=3, reserved=1)
    _list_queries(staff_client)  # the first request fills the per-process caches (content types, site)
    with_five = _list_queries(staff_client)
    for product in ProductFactory.create_batch(45):
        StockFactory(product=product, warehouse=warehouse, quantity=3, reserved=1)

    assert _list_queries(staff_client) == with_five
