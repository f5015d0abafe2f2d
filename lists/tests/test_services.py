from decimal import Decimal

import pytest

from catalog.tests.factories import CategoryFactory, ProductFactory
from lists.exceptions import COMPARE_LIMIT, CompareLimit, ProductNotFound
from lists.models import ListEntry, ListKind
from lists.owners import Owner
from lists.selectors import lists_state
from lists.services import list_add, list_remove, list_toggle, lists_merge_guest

pytestmark = pytest.mark.django_db
GUEST = Owner(session_key="guest-session")


def test_list_toggle_adds_then_takes_out(cameras):
    product = cameras[0]

    assert list_toggle(owner=GUEST, kind=ListKind.FAVORITES, product_id=product.pk) is True
    assert lists_state(owner=GUEST).favorites == (product.pk,)
    assert list_toggle(owner=GUEST, kind=ListKind.FAVORITES, product_id=product.pk) is False
    assert lists_state(owner=GUEST).favorites == ()


def test_list_add_keeps_the_price_when_added(cameras):
    entry = list_add(owner=GUEST, kind=ListKind.FAVORITES, product_id=cameras[1].pk)

    assert entry.price_added == Decimal("7990.00")


def test_list_add_refuses_a_product_off_sale(cameras):
    product = ProductFactory(is_active=False)

    with pytest.raises(ProductNotFound):
        list_add(owner=GUEST, kind=ListKind.FAVORITES, product_id=product.pk)
    with pytest.raises(ProductNotFound):
        list_add(owner=GUEST, kind=ListKind.COMPARE, product_id=10**9)


def test_compare_takes_at_most_ten_of_a_category_and_says_so_in_russian(cctv, detector):
    for _ in range(COMPARE_LIMIT):
        list_add(owner=GUEST, kind=ListKind.COMPARE, product_id=ProductFactory(category=cctv).pk)

    with pytest.raises(CompareLimit) as refused:
        list_add(owner=GUEST, kind=ListKind.COMPARE, product_id=ProductFactory(category=cctv).pk)

    assert str(refused.value) == ("В сравнении уже 10 товаров этой категории. Уберите один, чтобы добавить другой.")
    list_add(owner=GUEST, kind=ListKind.COMPARE, product_id=detector.pk)  # another category still fits
    assert len(lists_state(owner=GUEST).compare) == COMPARE_LIMIT + 1


def test_favorites_have_no_limit_of_ten(cctv):
    for _ in range(COMPARE_LIMIT + 2):
        list_add(owner=GUEST, kind=ListKind.FAVORITES, product_id=ProductFactory(category=cctv).pk)

    assert len(lists_state(owner=GUEST).favorites) == COMPARE_LIMIT + 2


def test_lists_merge_guest_moves_lists_into_the_account_without_doubles(cameras, django_user_model):
    user = django_user_model.objects.create_user(email="merge@example.ru", password="x-pass-12345")
    account = Owner(user_id=user.pk)
    list_add(owner=account, kind=ListKind.FAVORITES, product_id=cameras[0].pk)
    list_add(owner=GUEST, kind=ListKind.FAVORITES, product_id=cameras[0].pk)
    list_add(owner=GUEST, kind=ListKind.FAVORITES, product_id=cameras[1].pk)
    list_add(owner=GUEST, kind=ListKind.COMPARE, product_id=cameras[2].pk)

    assert lists_merge_guest(session_key="guest-session", user=user) == 2

    state = lists_state(owner=account)
    assert state.favorites == (cameras[0].pk, cameras[1].pk)
    assert state.compare == (cameras[2].pk,)
    assert not ListEntry.objects.filter(user__isnull=True).exists()
    assert lists_state(owner=GUEST).favorites == ()


def test_lists_merge_guest_keeps_the_compare_limit(cctv, django_user_model):
    user = django_user_model.objects.create_user(email="full@example.ru", password="x-pass-12345")
    for _ in range(COMPARE_LIMIT):
        list_add(owner=Owner(user_id=user.pk), kind=ListKind.COMPARE, product_id=ProductFactory(category=cctv).pk)
    list_add(owner=GUEST, kind=ListKind.COMPARE, product_id=ProductFactory(category=cctv).pk)
    list_add(owner=GUEST, kind=ListKind.COMPARE, product_id=ProductFactory(category=CategoryFactory()).pk)

    assert lists_merge_guest(session_key="guest-session", user=user) == 1
    assert len(lists_state(owner=Owner(user_id=user.pk)).compare) == COMPARE_LIMIT + 1


def test_lists_merge_guest_without_a_guest_list_does_nothing(django_user_model):
    user = django_user_model.objects.create_user(email="none@example.ru", password="x-pass-12345")

    assert lists_merge_guest(session_key=None, user=user) == 0
    assert lists_merge_guest(session_key="unknown", user=user) == 0


def test_list_remove_touches_only_the_owners_list(cameras):
    other = Owner(session_key="someone-else")
    list_add(owner=other, kind=ListKind.FAVORITES, product_id=cameras[0].pk)

    assert list_remove(owner=GUEST, kind=ListKind.FAVORITES, product_id=cameras[0].pk) is False
    assert lists_state(owner=other).favorites == (cameras[0].pk,)
