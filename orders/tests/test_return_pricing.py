"""The pure function that prices a return: shares of discounts, points and delivery, exact in kopecks."""

from decimal import Decimal

import pytest

from orders.pricing import SoldLine, price_return


def line(key, quantity, total, points="0.00", returned=0, before=0):
    return SoldLine(
        key=key,
        quantity=quantity,
        total=Decimal(total),
        points=Decimal(points),
        returned=returned,
        returned_before=before,
    )


def test_returning_everything_gives_back_every_kopeck_and_the_whole_delivery():
    lines = [line(1, 3, "1000.00", "100.00", returned=3), line(2, 1, "333.33", "33.00", returned=1)]

    result = price_return(lines=lines, delivery_cost=Decimal("390.00"), earns=66)

    assert (result.goods, result.delivery, result.amount) == (Decimal("1333.33"), Decimal("390.00"), Decimal("1723.33"))
    assert (result.points, result.revoke) == (133, 66)


@pytest.mark.parametrize("parts", [[1, 1, 1], [2, 1], [1, 2]])
def test_a_line_returned_in_parts_gives_back_exactly_what_returning_it_at_once_would(parts):
    whole = price_return(lines=[line(1, 3, "1000.00", "10.00", returned=3)], delivery_cost=Decimal("199"), earns=50)
    given, before = [], 0
    for units in parts:
        result = price_return(
            lines=[line(1, 3, "1000.00", "10.00", returned=units, before=before)],
            delivery_cost=Decimal("199"),
            earns=50,
        )
        given.append(result)
        before += units

    assert sum(r.amount for r in given) == whole.amount == Decimal("1199.00")
    assert sum(r.delivery for r in given) == Decimal("199.00")
    assert sum(r.revoke for r in given) == whole.revoke == 50
    assert sum(r.points for r in given) <= whole.points == 10


def test_one_unit_of_two_lines_takes_its_share_of_the_delivery():
    lines = [line(1, 2, "11400.00", returned=1), line(2, 1, "3800.00")]

    result = price_return(lines=lines, delivery_cost=Decimal("199.00"), earns=760)

    assert [(r.key, r.quantity, r.amount) for r in result.lines] == [(1, 1, Decimal("5700.00"))]
    assert result.delivery == Decimal("74.63")
    assert result.revoke == 285


def test_nothing_returned_gives_nothing_back():
    result = price_return(lines=[line(1, 2, "100.00")], delivery_cost=Decimal("0"), earns=5)

    assert (result.lines, result.amount, result.points, result.revoke) == ([], Decimal("0.00"), 0, 0)
