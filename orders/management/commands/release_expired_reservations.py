from django.core.management.base import BaseCommand

from catalog.services import stock_release_expired
from orders.services import order_expire_due


class Command(BaseCommand):
    help = "Cancel unpaid orders whose reservation ran out (giving back promo, points, window) and release stock."

    def handle(self, *args, **options):
        cancelled = order_expire_due()
        released = stock_release_expired()
        self.stdout.write(f"Отменено заказов: {len(cancelled)}; снято резервов других заказов: {len(released)}")
        for number in cancelled:
            self.stdout.write(f"  {number}")
