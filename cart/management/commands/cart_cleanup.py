from django.core.management.base import BaseCommand

from cart.services import GUEST_CART_DAYS, cart_delete_stale


class Command(BaseCommand):
    help = "Delete guest carts nobody touched for 30 days (or --days N)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=GUEST_CART_DAYS, help="Age in days (default 30).")

    def handle(self, *args, days: int, **options):
        deleted = cart_delete_stale(days=days)
        self.stdout.write(f"Deleted guest carts: {deleted}")
