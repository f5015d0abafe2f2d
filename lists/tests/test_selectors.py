from decimal import Decimal

import pytest

from lists.models import ListKind
from lists.owners import Owner
from lists.selectors import compare_share_token, compare_shared_tables, compare_tables, favorites_list
from lists.services import list_add

pytestmark = pytest.mark.django_db
GUEST = Owner(session_key="guest-session")


def _compare(*products):
    for product in products:
        list_add(owner=GUEST, kind=ListKind.COMPARE, product_id=product.pk)


def test_compare_tables_put_each_category_in_its_own_table(cameras, detector):
    _compare(cameras[0], detector, cameras[1])

    tables = compare_tables(owner=GUEST)

    assert [(t.category_name, [p.pk for p in t.products]) for t in tables] == [
        ("IP-камеры", [cameras[0].pk, cameras[1].pk]),
        ("Датчики дыма", [detector.pk]),
    ]


def test_compare_rows_follow_the_attribute_order_with_units(cameras):
    _compare(*cameras)

    (table,) = compare_tables(owner=GUEST)

    assert [(row.name, row.unit, row.values) for row in table.rows] == [
        ("Питание", "", ["PoE", "PoE", "PoE"]),
        ("Разрешение", "Мп", ["2", "4", "8"]),
        ("ИК-подсветка", "м", ["30", "50", "40"]),
        ("Степень защиты", "", ["IP66", "IP67", "IP67"]),
    ]


def test_compare_marks_the_best_number_where_better_is_defined(cameras):
    _compare(*cameras)

    rows = {row.name: row for row in compare_tables(owner=GUEST)[0].rows}

    assert rows["Разрешение"].best == [False, False, True]
    assert rows["ИК-подсветка"].best == [False, True, False]
    assert rows["Степень защиты"].best == [False, True, True]
    assert rows["Питание"].best == [False, False, False]
    assert rows["Питание"].differs is False
    assert rows["Разрешение"].differs is True


def test_favorites_note_a_price_that_fell_since_it_was_added(cameras):
    for product in cameras[:2]:
        list_add(owner=GUEST, kind=ListKind.FAVORITES, product_id=product.pk)
    cameras[0].price = Decimal("3990.00")
    cameras[0].save()
    cameras[1].price = Decimal("8990.00")
    cameras[1].save()

    listed = favorites_list(owner=GUEST)

    assert [(p.price, p.price_added, p.price_fell) for p in listed] == [
        (Decimal("3990.00"), Decimal("4990.00"), True),
        (Decimal("8990.00"), Decimal("7990.00"), False),
    ]


def test_a_shared_comparison_shows_the_same_tables(cameras, detector):
    _compare(cameras[2], detector, cameras[0])
    token = compare_share_token([cameras[2].pk, detector.pk, cameras[0].pk])

    shared = compare_shared_tables(token=token)

    own = compare_tables(owner=GUEST)
    assert [[p.pk for p in t.products] for t in shared] == [[p.pk for p in t.products] for t in own]
    assert [r.values for r in shared[0].rows] == [r.values for r in own[0].rows]


@pytest.mark.parametrize("token", ["", "abc", "W1sxLDJdXQ:forged:sig", "x" * 500])
def test_a_forged_share_token_finds_nothing(token):
    assert compare_shared_tables(token=token) is None
