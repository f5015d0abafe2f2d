"""Thumbnails are made when an image is saved and their names and sizes stored, so no page asks imagekit."""

import pytest
from django.core.management import call_command
from PIL import Image

from catalog.models import ProductImage
from catalog.services import product_images_store_thumbnails
from catalog.tests.factories import ProductFactory, ProductImageFactory, StockFactory, image_file

pytestmark = pytest.mark.django_db


def stored_size(image: ProductImage) -> tuple[int, int]:
    with image.image.storage.open(image.thumbnail_name) as handle, Image.open(handle) as picture:
        return picture.size


def test_storing_makes_the_thumbnail_and_records_its_name_and_size(cctv):
    image = ProductImageFactory(product=ProductFactory(category=cctv), image=image_file("wide.png", size=(600, 300)))
    assert product_images_store_thumbnails(product_ids=[image.product_id]) == 1
    image.refresh_from_db()
    assert image.thumbnail_name == image.thumbnail.name
    assert (image.thumbnail_width, image.thumbnail_height) == (400, 200)
    assert stored_size(image) == (400, 200)
    assert image.thumbnail_url == image.image.storage.url(image.thumbnail_name)


def test_pages_print_the_stored_thumbnail_without_asking_imagekit(client, cctv, monkeypatch):
    product = ProductFactory(category=cctv)
    StockFactory(product=product)
    for position in range(2):
        ProductImageFactory(product=product, position=position)
    product_images_store_thumbnails(product_ids=[product.pk])
    thumbnails = [image.thumbnail_url for image in product.images.order_by("position")]

    def imagekit_asked(image):
        raise AssertionError("a page asked imagekit for a thumbnail")

    monkeypatch.setattr(ProductImage, "thumbnail", property(imagekit_asked))
    page = client.get(product.get_absolute_url()).content.decode()
    listing = client.get("/catalog/ip-kamery/").content.decode()
    assert [page.count(f'src="{url}"') for url in thumbnails] == [1, 1]  # the gallery's two thumbnails
    assert listing.count(f'src="{thumbnails[0]}"') == 1  # the card shows the first picture


def test_an_image_without_a_stored_thumbnail_shows_the_original_picture(client, cctv):
    product = ProductFactory(category=cctv)
    image = ProductImageFactory(product=product)
    assert image.thumbnail_name == ""
    assert f'src="{image.image.url}"' in client.get("/catalog/ip-kamery/").content.decode()


def test_the_command_stores_the_missing_thumbnails_and_the_cards_show_them(
    client, make_products, django_capture_on_commit_callbacks
):
    products = make_products(3)  # pictures created in bulk, as the load-test seeder does: no thumbnails
    assert client.get("/catalog/ip-kamery/").status_code == 200  # the cards are cached with the originals
    with django_capture_on_commit_callbacks(execute=True):
        call_command("store_thumbnails", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    images = ProductImage.objects.filter(product__in=products)
    assert sorted(images.values_list("thumbnail_width", flat=True)) == [400, 400, 400]
    thumbnail = images.first().thumbnail_url
    assert client.get("/catalog/ip-kamery/").content.decode().count(f'src="{thumbnail}"') == 3


def test_an_image_whose_file_is_gone_is_left_as_it_is_and_the_others_get_theirs(cctv):
    gone, kept = ProductImageFactory(product=ProductFactory(category=cctv)), ProductImageFactory()
    gone.image.storage.delete(gone.image.name)
    gone.image.storage.delete(gone.thumbnail.name)  # imagekit made it when the image was saved
    assert product_images_store_thumbnails() == 1
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.thumbnail_name == ""
    assert kept.thumbnail_name == kept.thumbnail.name
