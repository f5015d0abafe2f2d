"""Build the YML feed now, as the background task does, and check it with the validator."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from feeds.selectors import feed_local_path
from feeds.services import feed_build
from feeds.validation import validate_yml


class Command(BaseCommand):
    help = "Собрать YML-фид для маркетплейсов (/feeds/yml.xml) сейчас и проверить его."

    def add_arguments(self, parser):
        parser.add_argument("--no-check", action="store_true", help="не проверять собранный файл")

    def handle(self, *args, no_check: bool, **options):
        build = feed_build()
        self.stdout.write(
            f"Фид собран: предложений {build.offers}, {filesizeformat(build.size)} за {build.seconds:.1f} с."
        )
        path = feed_local_path()
        if no_check or path is None:
            return
        report = validate_yml(path)
        for error in report.errors:
            self.stderr.write(error)
        if not report.valid:
            raise CommandError(f"Фид не прошёл проверку: ошибок {len(report.errors)}.")
        self.stdout.write(self.style.SUCCESS(f"Проверка пройдена: категорий {report.categories}."))
