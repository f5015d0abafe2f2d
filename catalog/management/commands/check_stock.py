from django.core.management.base import BaseCommand, CommandError

from catalog.selectors import stock_drift


class Command(BaseCommand):
    help = "Report drift between stock counters and reservation rows; exit code 1 when there is any."

    def handle(self, *args, **options):
        problems = stock_drift()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"Расхождений: {len(problems)}")
        self.stdout.write(self.style.SUCCESS("Остатки и резервы сходятся"))
