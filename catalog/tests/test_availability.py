import pytest

from catalog.availability import availability_status


@pytest.mark.parametrize(
    ("available", "backorder_days", "label"),
    [
        (100, None, "В наличии"),
        (6, None, "В наличии"),
        (5, None, "Мало"),
        (1, None, "Мало"),
        (0, 14, "Под заказ"),
        (0, None, "Нет в наличии"),
        (-2, None, "Нет в наличии"),
    ],
)
def test_availability_status_labels(available, backorder_days, label):
    assert availability_status(available, backorder_days).label == label


def test_out_of_stock_cannot_be_ordered_but_backorder_can():
    assert not availability_status(0, None).can_order
    assert availability_status(0, 10).can_order
