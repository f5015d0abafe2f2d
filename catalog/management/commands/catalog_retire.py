from django.core.management.base import BaseCommand

from catalog.services import catalog_changed


class Command(BaseCommand):
    help = "Retire every cached catalogue read: after a data fix in raw SQL, which no queryset or signal saw."

    def handle(self, *args, **options):
        catalog_changed()
        self.stdout.write("Кэш каталога сброшен: страницы соберутся заново при следующем запросе.")
