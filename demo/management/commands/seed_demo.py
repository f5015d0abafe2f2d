"""Load the demo catalog (and on request a load-test catalog) with a demo administrator and customer."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.models import Product
from catalog.services import product_images_store_thumbnails
from demo.cctv import demo_cctv_seed
from demo.checkout import demo_checkout_seed
from demo.loadtest import demo_load_test_seed
from demo.orders import demo_orders_seed
from demo.seed import demo_admin_login_line, demo_catalog_seed, demo_customer_login_line, demo_users_ensure
from demo.service import demo_service_seed


class Command(BaseCommand):
    help = (
        "Загрузить демо-каталог: около 140 товаров охранного оборудования с картинками, комплекты, услуги, "
        "склады в Москве и Петербурге, демо-администратора и покупателя. Повторный запуск ничего не дублирует."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            metavar="N",
            help="добавить нагрузочный каталог: N сгенерированных товаров (артикулы LT-000001…LT-N)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="ничего не загружать, если в базе уже есть товары (так делает make run)",
        )

    def handle(self, *args, products: int, if_empty: bool, verbosity: int, **options):
        if not settings.SHOP_DEMO_DATA_ALLOWED:
            raise CommandError(
                "Демо-данные создают администратора с известным паролем и не загружаются в рабочую базу "
                "(SHOP_DEMO_DATA_ALLOWED=false)."
            )
        if products < 0:
            raise CommandError("--products: число товаров не может быть отрицательным.")
        if if_empty and Product.objects.exists():
            self.stdout.write("В каталоге уже есть товары: демо-данные не загружаются.")
            self._logins()
            return
        started = time.monotonic()
        self.stdout.write("Загружаю демо-каталог…")
        result = demo_catalog_seed()
        demo_users_ensure()
        demo_checkout_seed()
        demo_orders_seed()
        slots = demo_service_seed()
        parts = demo_cctv_seed()
        self.stdout.write(f"Конфигуратор видеонаблюдения: характеристики камер и регистраторов, новых товаров {parts}.")
        self.stdout.write(f"Сервис: сервис-центры, техники, бригады, смета; новых слотов на 14 дней: {slots}.")
        self.stdout.write(
            f"Демо-каталог: создано {result.created}, обновлено {result.updated}, картинок {result.images} "
            f"за {time.monotonic() - started:.1f} с."
        )
        if products:
            started = time.monotonic()
            with tqdm(total=products, unit=" товаров", disable=verbosity == 0, mininterval=0.5) as bar:
                created = demo_load_test_seed(count=products, progress=bar.update, log=bar.write if verbosity else None)
            self.stdout.write(
                f"Нагрузочный каталог: добавлено {created} из {products} товаров за {time.monotonic() - started:.1f} с."
            )
        started = time.monotonic()
        stored = product_images_store_thumbnails()
        self.stdout.write(f"Превью картинок: сохранено {stored} за {time.monotonic() - started:.1f} с.")
        self._logins()

    def _logins(self) -> None:
        self.stdout.write(self.style.SUCCESS(demo_admin_login_line()))
        self.stdout.write(self.style.SUCCESS(demo_customer_login_line()))
