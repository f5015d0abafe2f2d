from decimal import Decimal

import pytest
from django.core.management import call_command

from catalog.models import Product
from exchange.models import ExchangeSession
from exchange.tests.conftest import DATA

pytestmark = pytest.mark.django_db


def test_the_command_runs_the_same_import_from_files(capsys):
    call_command("exchange_1c_import", str(DATA / "cml208/import.xml"), str(DATA / "cml208/offers.xml"))

    assert Product.objects.get(sku="AJ-MP").price == Decimal("4590.00")
    session = ExchangeSession.objects.get()
    assert (session.source, session.created) == ("команда", 2)
    assert "Создано: 2" in capsys.readouterr().out


def test_the_command_run_again_changes_nothing(capsys):
    files = [str(DATA / "cml208/import.xml"), str(DATA / "cml208/offers.xml")]
    call_command("exchange_1c_import", *files)

    call_command("exchange_1c_import", *files)

    assert "Создано: 0, изменено: 0, снято с продажи: 0, ошибок: 0" in capsys.readouterr().out
