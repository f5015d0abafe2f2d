from django.core.management.base import BaseCommand, CommandError

from orders.models import Order
from orders.services.documents import order_documents_make


class Command(BaseCommand):
    help = "Make an order's documents again (overwriting them), e.g. after its serial numbers changed."

    def add_arguments(self, parser):
        parser.add_argument("number", help="order number, e.g. 2026-000123")

    def handle(self, *args, number, **options):
        order = Order.objects.filter(number=number).first()
        if order is None:
            raise CommandError(f"Нет заказа {number}")
        made = order_documents_make(order_id=order.pk)
        self.stdout.write(f"Заказ {number}: {', '.join(made) if made else 'документов пока нет'}")
