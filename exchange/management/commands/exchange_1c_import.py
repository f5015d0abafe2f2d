"""python manage.py exchange_1c_import import.xml offers.xml: the import of the 1C exchange, from files."""

import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exchange.exceptions import ExchangeRefused
from exchange.models import ExchangeSession
from exchange.services.files import folder_reset, zips_unpack
from exchange.services.importing import file_import_step, unload_withdraw_missing


class Command(BaseCommand):
    help = "Загрузить каталог из файлов CommerceML (import.xml, offers.xml или zip с картинками), как обмен с 1С."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="файлы в порядке загрузки: import.xml offers.xml …")
        parser.add_argument("--user", default="", help="email сотрудника, который запускает загрузку (для журнала)")

    def handle(self, *args, files, user, **options):
        author = None
        if user:
            author = get_user_model().objects.filter(email__iexact=user).first()
            if author is None:
                raise CommandError(f"Нет пользователя {user}")
        session = ExchangeSession.objects.create(user=author, source="команда", folder="")
        session.folder = f"command-{session.pk}"
        session.save(update_fields=["folder"])
        folder = folder_reset(session=session)
        names = []
        for name in files:
            source = Path(name)
            if not source.is_file():
                raise CommandError(f"Файла {name} нет")
            shutil.copyfile(source, folder / source.name)
            if source.suffix.lower() != ".zip":
                names.append(source.name)
        try:
            names.extend(n for n in zips_unpack(session=session, max_bytes=2**40) if n.lower().endswith(".xml"))
            for name in names:
                while not file_import_step(session=session, name=name, seconds=3600).done:
                    pass
                self.stdout.write(f"{name}: загружен")
            unload_withdraw_missing(session=session)
        except ExchangeRefused as refused:
            raise CommandError(str(refused)) from refused
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        session.refresh_from_db()
        self.stdout.write(
            f"Создано: {session.created}, изменено: {session.updated}, снято с продажи: {session.withdrawn}, "
            f"ошибок: {session.errors}"
        )
