"""Make technicians', centres' and crews' slots for the coming days from their working hours."""

from django.core.management.base import BaseCommand, CommandError

from service.services import service_slots_generate


class Command(BaseCommand):
    help = "Создать слоты техников, сервис-центров и бригад на ближайшие дни по их рабочему времени."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14, help="на сколько дней вперёд (по умолчанию 14)")

    def handle(self, *args, days: int, **options):
        if not 1 <= days <= 90:
            raise CommandError("--days: от 1 до 90.")
        created = service_slots_generate(days=days)
        self.stdout.write(self.style.SUCCESS(f"Создано слотов: {created}."))
