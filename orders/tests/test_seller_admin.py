"""The seller's details are checked in the admin, each error beside its field, in Russian."""

import pytest

from orders.admin import (
    SELLER_BIK_INVALID,
    SELLER_CORRESPONDENT_INVALID,
    SELLER_INN_INVALID,
    SELLER_KPP_INVALID,
    SELLER_OGRN_INVALID,
    SELLER_SETTLEMENT_INVALID,
    SellerForm,
)
from orders.models import Seller

pytestmark = pytest.mark.django_db

SBERBANK = {
    "name": "ПАО Сбербанк",
    "inn": "7707083893",
    "kpp": "773601001",
    "ogrn": "1027700132195",
    "address": "117312, г. Москва, ул. Вавилова, д. 19",
    "site_address": "https://ohrana-plus.ru",
    "bank_name": "ПАО Сбербанк, г. Москва",
    "bik": "044525225",
    "correspondent_account": "30101810400000000225",
    "settlement_account": "40702810938000012345",
    "director": "Петров П. П.",
    "accountant": "",
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"inn": "500100732259", "kpp": "", "ogrn": "304500116000157"},  # an individual entrepreneur (ИП)
    ],
)
def test_real_details_pass(changes):
    form = SellerForm(data={**SBERBANK, **changes})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("inn", "7707083894", SELLER_INN_INVALID),
        ("inn", "500100732250", SELLER_INN_INVALID),
        ("inn", "77070838", SELLER_INN_INVALID),
        ("kpp", "77360100", SELLER_KPP_INVALID),
        ("ogrn", "1027700132196", SELLER_OGRN_INVALID),
        ("ogrn", "304500116000158", SELLER_OGRN_INVALID),
        ("bik", "144525225", SELLER_BIK_INVALID),
        ("bik", "04452522", SELLER_BIK_INVALID),
        ("correspondent_account", "30101810400000000226", SELLER_CORRESPONDENT_INVALID),
        ("correspondent_account", "40702810938000012345", SELLER_CORRESPONDENT_INVALID),
        ("settlement_account", "40702810938000012346", SELLER_SETTLEMENT_INVALID),
        ("settlement_account", "4070281093800001234", SELLER_SETTLEMENT_INVALID),
    ],
)
def test_a_wrong_number_is_refused_beside_its_field(field, value, error):
    form = SellerForm(data={**SBERBANK, field: value})

    assert not form.is_valid()
    assert form.errors == {field: [error]}


def test_an_account_of_another_bank_is_refused_against_the_bik():
    # Accounts valid for Сбербанк's БИК do not pass with ВТБ's (044525187).
    form = SellerForm(data={**SBERBANK, "bik": "044525187"})

    assert not form.is_valid()
    assert set(form.errors) == {"correspondent_account", "settlement_account"}


def test_the_admin_page_shows_the_error_and_keeps_the_record(admin_client):
    seller = Seller.objects.create(**SBERBANK)

    response = admin_client.post(
        f"/admin/orders/seller/{seller.pk}/change/", {**SBERBANK, "settlement_account": "40702810938000012346"}
    )

    assert response.status_code == 200
    assert SELLER_SETTLEMENT_INVALID in response.content.decode()
    seller.refresh_from_db()
    assert seller.settlement_account == "40702810938000012345"
