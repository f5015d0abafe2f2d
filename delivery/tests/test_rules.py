from decimal import Decimal as D

import pytest

from delivery.rules import Parcel, parcel_of, parcel_refusal, tariff_cost


def test_parcel_sums_weights_and_takes_the_longest_side():
    parcel = parcel_of([(D("0.5"), [100, 200, 50], 3), (None, [None, 1200, None], 1), (D("2"), [], 1)])

    assert parcel == Parcel(weight_kg=D("3.5"), longest_side_mm=1200)


@pytest.mark.parametrize(
    ("parcel", "max_kg", "max_side", "refusal"),
    [
        (Parcel(D("10"), 500), D("20"), 1000, None),
        (Parcel(D("20"), 1000), D("20"), 1000, None),
        (Parcel(D("20.5"), 500), D("20"), None, "Заказ весит 20,5 кг, а этим способом можно отправить не больше 20 кг"),
        (Parcel(D("1"), 1500), None, 1000, "Товар длиной 1500 мм не помещается: этим способом — до 1000 мм"),
        (Parcel(D("999"), 9999), None, None, None),
    ],
)
def test_methods_refuse_parcels_they_cannot_carry_with_the_reason(parcel, max_kg, max_side, refusal):
    assert parcel_refusal(parcel=parcel, max_weight_kg=max_kg, max_side_mm=max_side) == refusal


@pytest.mark.parametrize(
    ("weight", "cost"),
    [(D("0"), D("300.00")), (D("5"), D("300.00")), (D("5.01"), D("350.00")), (D("7.5"), D("450.00"))],
)
def test_tariff_charges_per_started_kilogram_above_the_included_weight(weight, cost):
    assert tariff_cost(cost=D("300"), included_kg=D("5"), cost_per_kg=D("50"), weight_kg=weight) == cost
