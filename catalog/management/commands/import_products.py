"""Import products from a CSV file; the columns are documented in catalog/importing.py."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from tqdm import tqdm

from catalog.importing import ImportFileError, csv_read, products_import

HELP = """Создать или обновить товары из CSV-файла; товар ищется по артикулу (sku).

Столбцы (первая строка файла — их названия, порядок любой):
  sku              артикул, обязателен
  name             название
  category         адрес (slug) существующей категории, например ip-kamery
  brand            бренд; новый бренд будет создан
  price            цена, ₽, больше нуля; «12 990,00» и «12990.00» читаются одинаково
  old_price        старая цена, выше цены; пусто — нет
  vat_rate         ставка НДС: 22, 10, 0 или none (без НДС); пусто — 22
  warranty_months  гарантия, мес.; пусто — 12
  weight_kg        вес, кг
  description      описание
  is_active        в продаже: 1/0, да/нет; пусто — да
  stock_<код>      остаток на складе с этим кодом (stock_msk, stock_spb); пусто — не менять
  attr_<код>       значение характеристики (attr_resolution); пусто — удалить

Для нового товара нужны sku, name, category и price. Столбец, которого нет в файле,
у существующего товара не меняется; пустые name, category и price — тоже.
Кодировка UTF-8 (с BOM или без), разделитель — запятая или точка с запятой.
Каждая строка проверяется и сохраняется отдельно: строка с ошибкой не мешает
остальным и выводится с номером.

Код выхода: 0 — все строки загружены, 1 — в некоторых строках ошибки (или файл не читается)."""


class _Formatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    pass


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV-файл")
        parser.add_argument("--dry-run", action="store_true", help="только проверить файл, ничего не записывая")

    def handle(self, *args, file: Path, dry_run: bool, verbosity: int, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Файл {file} не открывается: {exc.strerror}.") from exc
        try:
            parsed = csv_read(data=data)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        rows = tqdm(parsed.rows, unit=" строк", disable=verbosity == 0, mininterval=0.5)
        report = products_import(rows=rows, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(str(error))
        summary = f"Создано: {report.created}, обновлено: {report.updated}, ошибок: {len(report.errors)}."
        if dry_run:
            summary += " Пробный запуск: ничего не записано."
        self.stdout.write(summary)
        if report.errors:
            raise CommandError(f"Строк с ошибками: {len(report.errors)}.", returncode=1)
