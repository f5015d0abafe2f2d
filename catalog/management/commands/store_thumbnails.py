from django.core.management.base import BaseCommand

from catalog.services import product_images_store_thumbnails


class Command(BaseCommand):
    help = "Сделать недостающие превью картинок товаров и запомнить их адреса и размеры (после загрузки и деплоя)."

    def handle(self, *args, **options):
        stored = product_images_store_thumbnails()
        self.stdout.write(f"Превью сохранено: {stored}.")
