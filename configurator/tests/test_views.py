"""The configurator's pages with the Django client on the demo catalogue."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict

from accounts.tests.factories import UserFactory
from cart.models import CartLine
from catalog.models import Product, Stock
from catalog.tests.factories import ProductFactory
from configurator.forms import default_answers
from configurator.models import SavedConfiguration
from core.models import Region

pytestmark = pytest.mark.django_db

URL = "/configurator/"
NBSP = "\u00a0"


def region_id(code: str) -> int:
    return Region.objects.get(code=code).pk


def answers(code="77", **changes) -> dict:
    data = default_answers(region_id=region_id(code))
    data.update({name: str(value) for name, value in changes.items()})
    return data


def checks(html: str) -> dict[str, bool]:
    return {code: ok == "yes" for code, ok in re.findall(r'data-testid="check-(\w+)" data-ok="(yes|no)"', html)}


def kit_lines(html: str) -> dict[str, int]:
    return {sku: int(qty) for sku, qty in re.findall(r'<tr data-sku="([^"]+)">.*?data-testid="qty">(\d+)<', html, re.S)}


def kit_total(html: str) -> Decimal:
    total = re.search(r'data-testid="kit-total">([^<]+)<', html).group(1)
    return Decimal(re.sub(r"[^\d,]", "", total).replace(",", "."))


def state(html: str) -> str:
    return re.search(r'name="state" value="([^"]+)"', html).group(1).replace("&amp;", "&")


@pytest.mark.parametrize("code", ["77", "78"])
def test_the_default_object_gets_a_passing_kit_in_stock_in_each_demo_region(client, demo_cctv, code):
    response = client.get(URL, answers(code))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Конфигуратор видеонаблюдения — Охрана Плюс</title>" in html
    assert checks(html) and all(checks(html).values()), checks(html)
    assert 'data-testid="schematic"' in html and "<svg" in html


def test_first_visit_shows_the_kit_for_the_starting_object(client, demo_cctv):
    html = client.get(URL).content.decode()

    assert all(checks(html).values())
    assert sum(kit_lines(html).values()) > 7


def test_reliable_mirrors_the_disks_and_passes(client, demo_cctv):
    html = client.get(URL, answers(choose="reliable")).content.decode()

    assert all(checks(html).values()), checks(html)
    assert "RAID 1" in html
    assert "(нужно 39)" in html
    assert 'aria-pressed="true">Надёжный' in html


def test_swapping_in_a_recorder_with_fewer_channels_says_what_broke(client, demo_cctv):
    four = Product.objects.get(sku="HW-DS-N204C")

    html = client.get(URL, answers(recorder=four.pk)).content.decode()

    assert checks(html)["channels"] is False
    assert "Замена сломала:" in html
    assert "Каналы: 7 из 4" in html
    assert "выберите регистратор не меньше чем на 7 каналов" in html


def test_optimal_drops_the_swaps(client, demo_cctv):
    four = Product.objects.get(sku="HW-DS-N204C")

    html = client.get(URL, answers(recorder=four.pk, choose="optimal")).content.decode()

    assert all(checks(html).values())
    assert "Замена сломала" not in html


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("days", "месяц", "Введите целое число"),
        ("days", "0", "Не меньше 1 дней"),
        ("z0_cameras", "40", "Не больше 32"),
        ("motion_share", "150", "Не больше 100 %"),
        ("cable_run_m", "-3", "Не меньше 1 м"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_kept(client, demo_cctv, field, typed, message):
    response = client.get(URL, answers(**{field: typed}))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'name="{field}" value="{typed}"' in html
    assert 'data-testid="kit"' not in html


def test_no_camera_at_all_is_explained(client, demo_cctv):
    zeros = {f"z{i}_cameras": 0 for i in range(6)}

    html = client.get(URL, answers(**zeros)).content.decode()

    assert "Укажите хотя бы одну камеру в какой-нибудь зоне" in html


def test_a_swap_that_is_not_a_part_of_that_role_is_refused_beside_its_select(client, demo_cctv):
    disk = Product.objects.get(sku="WD-PURPLE-4TB")

    response = client.get(URL, answers(recorder=disk.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Этот товар не подходит на роль «Регистратор»: выберите из списка" in html
    assert all(checks(html).values())


def test_garbage_in_any_field_is_never_a_500(client, demo_cctv):
    data = dict.fromkeys(answers(), "\x00<script>")

    assert client.get(URL, data).status_code == 200
    assert client.post("/configurator/cart/", {"state": "region=abc&z0_cameras=%%"}).status_code == 302
    assert client.post("/configurator/save/", {"state": "\x00"}).status_code == 302


def test_add_kit_to_cart_puts_every_part_with_its_quantity(client, demo_cctv):
    html = client.get(URL, answers()).content.decode()
    expected, total = kit_lines(html), kit_total(html)

    response = client.post("/configurator/cart/", {"state": state(html)})

    assert response.status_code == 302 and response["Location"] == "/cart/"
    lines = CartLine.objects.select_related("product")
    assert {line.product.sku: line.quantity for line in lines} == expected
    assert sum(line.product.price * line.quantity for line in lines) == total


def test_save_gives_a_link_that_opens_the_same_configuration(client, demo_cctv):
    html = client.get(URL, answers(choose="reliable")).content.decode()

    response = client.post("/configurator/save/", {"state": state(html)})

    saved = SavedConfiguration.objects.get()
    assert response["Location"] == f"/configurator/s/{saved.token}/"
    assert saved.passes and saved.camera_count == 7
    assert saved.total == kit_total(html)
    opened = client.get(response["Location"]).content.decode()
    assert kit_lines(opened) == kit_lines(html)
    assert f"Сохранённая конфигурация {saved.token}" in opened
    assert client.get("/configurator/s/nope/").status_code == 404


def test_staff_see_saved_configurations_in_the_admin(client, demo_cctv, admin_user):
    html = client.get(URL, answers()).content.decode()
    client.post("/configurator/save/", {"state": state(html)})
    saved = SavedConfiguration.objects.get()
    client.force_login(admin_user)

    listing = client.get("/admin/configurator/savedconfiguration/")
    detail = client.get(f"/admin/configurator/savedconfiguration/{saved.pk}/change/")

    assert saved.token in listing.content.decode()
    assert "HW-DS-I456Z" in detail.content.decode()
    assert f"/configurator/s/{saved.token}/" in detail.content.decode()


def test_order_installation_fills_in_the_object_and_the_equipment(client, demo_cctv):
    user = UserFactory(region=Region.objects.get(code="77"))
    client.force_login(user)
    html = client.get(URL, answers(area_m2=150)).content.decode()
    link = re.search(r'href="(/service/installation/new/\?[^"]+)">Заказать монтаж', html).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)

    page = client.get(link).content.decode()

    assert query["goals"] == ["video"] and query["area_m2"] == ["150"] and query["equipment"] == ["own"]
    assert sorted(query["special_zones"]) == ["entrance", "parking", "perimeter", "storage"]
    assert query["own_equipment"][0].startswith("Из конфигуратора: HIK-2CD1043G2-IUF × 2")
    assert "HW-DS-I456Z × 1" in page
    assert 'value="150"' in page
    assert "Заполните" not in page


def test_links_from_the_header_the_cctv_category_and_the_installation_form(client, demo_cctv):
    user = UserFactory()
    category = client.get("/catalog/videonablyudenie/").content.decode()
    client.force_login(user)
    installation = client.get("/service/installation/new/").content.decode()

    header = category[category.index('class="category-bar') : category.index("</header>")]
    assert 'href="/configurator/">Конфигуратор видеонаблюдения</a>' in header
    assert 'data-testid="configurator-link"' in category
    assert 'href="/configurator/">конфигураторе видеонаблюдения</a>' in installation


# The chosen region, its warehouses, the units there of the candidate cameras and other parts, then of the
# recorders worth trying with the chosen cameras, and (the shared figures being built on this first request) the
# parts and their attribute values; the category menu (2); the form's regions (its select is iterated twice) and
# object types.
PAGE_QUERIES = 11


@pytest.mark.parametrize("extra", [5, 50])
def test_page_queries_do_not_grow_with_the_catalogue(client, demo_cctv, django_assert_max_num_queries, extra):
    camera = Product.objects.get(sku="HIK-2CD1043G2-IUF")
    for _ in range(extra):
        product = ProductFactory(category=camera.category)
        for value in camera.attribute_values.all():
            product.attribute_values.create(attribute=value.attribute, value=value.value)
    query = QueryDict(mutable=True)
    query.update(answers())

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(f"{URL}?{query.urlencode()}")

    assert response.status_code == 200


def test_a_price_edit_reaches_the_next_configuration_at_once(client, demo_cctv, django_capture_on_commit_callbacks):
    client.get(URL, answers())
    parking = Product.objects.get(sku="HW-DS-I456Z")
    parking.price = Decimal("11111.00")
    with django_capture_on_commit_callbacks(execute=True):
        parking.save()

    html = client.get(URL, answers()).content.decode()

    assert f"11{NBSP}111{NBSP}₽" in html


def test_stock_is_read_live_while_the_figures_are_shared(client, demo_cctv):
    client.get(URL, answers())
    Stock.objects.filter(product__sku="HW-DS-I456Z").update(quantity=0)

    html = client.get(URL, answers()).content.decode()

    assert 'data-sku="HW-DS-I456Z"' not in html
    assert 'data-sku="DH-IPC-HFW3841T-ZAS"' in html  # the next camera with a long lens in stock


def test_an_analog_kit_has_coax_cable_bnc_connectors_and_power_supplies(client, demo_cctv):
    html = client.get(URL, answers(family="analog", z2_detail="overview")).content.decode()

    lines = kit_lines(html)
    assert checks(html) and all(checks(html).values()), checks(html)
    assert lines["RG59-2X075-200"] == 2  # 7 cameras × 30 m in bays of 200 m
    assert lines["BNC-F-RG59-20"] == 1  # two at each camera's cable
    assert lines["PSU-12V-5A-4CH"] == 2  # 7 cameras, four to a power supply
    assert "UTP5E-305" not in lines and "RJ45-8P8C-20" not in lines


def _sku(sku: str) -> int:
    return Product.objects.get(sku=sku).pk


# A swap or an answer that turns exactly one check red on the demo catalogue; the default object passes them all.
FAILING = {
    "channels": lambda: {"recorder": _sku("HW-DS-N204C")},
    "resolution": lambda: {"cam0": _sku("HIK-2CD2T87G2-L"), "recorder": _sku("HW-DS-N208P-C")},
    "archive": lambda: {"recorder": _sku("HW-DS-N208P-C"), "disk": _sku("WD-PURPLE-4TB"), "days": 90},
    "disks": lambda: {"recorder": _sku("HW-DS-N208P-C"), "profile": "reliable"},
    "poe": lambda: {"cam1": _sku("HIK-2DE2A404IW-DE3"), "recorder": _sku("HW-DS-N208P-C")},
    "cameras": lambda: {"cam2": _sku("HIK-2CD1043G2-IUF")},
    "family": lambda: {"family": "analog", "z2_detail": "overview", "recorder": _sku("HW-DS-N208P-C")},
    "bandwidth": lambda: {
        "cam0": _sku("HIK-2CD2T87G2-L"),
        "cam1": _sku("HIK-2CD2T87G2-L"),
        "cam3": _sku("HIK-2CD2T87G2-L"),
        "recorder": _sku("RVI-1NR08120"),
    },
}


@pytest.mark.parametrize("code", sorted(FAILING))
def test_every_check_passes_and_fails_on_the_demo_catalogue(client, demo_cctv, code):
    passing = checks(client.get(URL, answers()).content.decode())

    failing = checks(client.get(URL, answers(**FAILING[code]())).content.decode())

    assert passing[code] is True
    assert failing[code] is False, failing
