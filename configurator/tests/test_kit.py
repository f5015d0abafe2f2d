"""Kit selection on hand-made parts: no database."""

from decimal import Decimal

import pytest

from configurator import kit as k

IP = frozenset({"IP"})


def part(pid, role, price, units=10, **figures):
    return k.Part(pid, f"SKU-{pid}", f"Товар {pid}", Decimal(price), units, role, **figures)


def cam(pid, price, units=10, mp=4, ir=30, outdoor=True, lens=2.8, main=4.0, watts=6.0, poe="802.3af"):
    return part(
        pid, k.CAMERA, price, units, families=IP, resolution_mp=mp, ir_m=ir, outdoor=outdoor, lens_max_mm=lens,
        codec="H.265", main_mbps=main, sub_mbps=0.5, poe_class=poe, poe_w=watts,
    )  # fmt: skip


def nvr(pid, price, units=5, channels=8, incoming=80, max_mp=8, bays=1, max_tb=10, ports=0, budget=0, std=None):
    return part(
        pid, k.RECORDER, price, units, families=IP, channels=channels, incoming_mbps=incoming,
        resolution_mp=max_mp, bays=bays, max_disk_tb=max_tb, poe_ports=ports, poe_budget_w=budget, poe_standard=std,
    )  # fmt: skip


def hdd(pid, price, tb, units=10):
    return part(pid, k.DISK, price, units, capacity_tb=tb)


def poe_switch(pid, price, ports=8, budget=60, std="802.3af", units=10):
    return part(pid, k.SWITCH, price, units, poe_ports=ports, poe_budget_w=budget, poe_standard=std)


def catalogue(**extra):
    parts = {
        k.CAMERA: [cam(1, 5000), cam(2, 4000, units=0), cam(3, 9000, lens=12)],
        k.RECORDER: [nvr(10, 10000, ports=8, budget=80, std="802.3af"), nvr(11, 8000, channels=4), nvr(12, 9000)],
        k.DISK: [hdd(20, 5000, 2), hdd(21, 9000, 4), hdd(22, 14000, 6)],
        k.SWITCH: [poe_switch(30, 6000)],
        k.CABLE: [part(40, k.CABLE, 7500, families=IP, pack=305), part(41, k.CABLE, 3000, families=IP, pack=100)],
        k.CONNECTOR: [part(50, k.CONNECTOR, 400, families=IP, pack=20)],
        k.BOX: [part(60, k.BOX, 700)],
    }
    parts.update(extra)
    return parts


def requirement(cameras=8, days=30, share=0.4, detail=k.OVERVIEW, outdoor=True, reliable=False, night=20):
    zone = k.Zone("Периметр", cameras, outdoor, detail, night)
    return k.Requirement(zones=(zone,), family="ip", days=days, recorded_share=share, reliable=reliable)


def test_cheapest_passing_kit_from_stock_only():
    selection = k.kit_select(requirement(), catalogue())

    kit = selection.kit
    assert selection.problem == ""
    assert kit.ok
    assert kit.part(k.CAMERA).product_id == 1  # camera 2 is cheaper but not in stock in the region
    # 8 cameras: the 4-channel recorder is out; 12 + 8-port switch (15 000) costs more than 10 with PoE (10 000).
    assert kit.part(k.RECORDER).product_id == 10
    assert kit.switch_count == 0
    # 8 × 4 Mbit/s × 40 % for 30 days = 4.15 TB: one 6 TB disk (5.7 TB usable) is cheaper than 4 × … in one bay.
    assert (kit.part(k.DISK).product_id, kit.disk_count) == (22, 1)
    assert {line.part.product_id: line.quantity for line in kit.lines} == {1: 8, 10: 1, 22: 1, 40: 1, 50: 1, 60: 8}
    assert kit.total == Decimal(5000 * 8 + 10000 + 14000 + 7500 + 400 + 700 * 8)


def test_same_input_gives_the_same_kit():
    first = k.kit_select(requirement(), catalogue()).kit
    second = k.kit_select(requirement(), catalogue()).kit

    assert [(line.part.product_id, line.quantity) for line in first.lines] == [
        (line.part.product_id, line.quantity) for line in second.lines
    ]


def test_a_switch_is_added_where_the_recorder_has_no_poe_ports():
    parts = catalogue(**{k.RECORDER: [nvr(12, 9000)]})

    kit = k.kit_select(requirement(cameras=6), parts).kit

    assert kit.ok
    assert (kit.part(k.SWITCH).product_id, kit.switch_count) == (30, 1)


def test_plates_need_a_long_lens():
    kit = k.kit_select(requirement(cameras=1, detail=k.PLATES), catalogue()).kit

    assert kit.part(k.CAMERA).product_id == 3


def test_no_camera_in_stock_gives_a_clear_reason():
    selection = k.kit_select(requirement(night=100), catalogue())

    assert selection.kit is None
    assert selection.problem == (
        "Для зоны «Периметр» нет камеры в наличии: нужна IP, от 2 Мп, ИК-подсветка от 100 м, уличная."
    )


def test_no_recorder_with_enough_channels_gives_a_clear_reason():
    selection = k.kit_select(requirement(cameras=9), catalogue())

    assert selection.kit is None
    assert selection.problem == "Нет регистратора IP в наличии на 9 каналов."


def test_no_passing_kit_says_so_and_shows_the_nearest():
    selection = k.kit_select(requirement(days=365, share=1.0), catalogue())

    assert selection.problem == k.NO_KIT
    assert [check.code for check in selection.kit.failures] == ["archive"]


def test_reliable_mirrors_two_disks_and_keeps_30_percent_more_archive():
    parts = catalogue(**{k.RECORDER: [nvr(12, 9000, bays=2), nvr(10, 10000, ports=8, budget=80, std="802.3af")]})

    kit = k.kit_select(requirement(cameras=4, reliable=True), parts).kit

    assert kit.ok
    assert kit.raid == "1"
    assert (kit.part(k.RECORDER).product_id, kit.part(k.DISK).product_id, kit.disk_count) == (12, 21, 2)
    archive = next(check for check in kit.checks if check.code == "archive")
    assert archive.text == "Архив: 54 дня при записи по движению 40 % (нужно 39)"


def test_swapping_in_a_recorder_with_fewer_channels_breaks_the_channel_check():
    parts = catalogue()
    baseline = k.kit_select(requirement(), parts).kit

    swapped = k.kit_select(requirement(), parts, k.Overrides(recorder=11)).kit

    broken = k.broken_by_swap(baseline, swapped)
    assert [check.code for check in broken] == ["channels"]
    assert broken[0].text == "Каналы: 8 из 4"
    assert broken[0].reason == "Камер 8, а у регистратора 4 канала: выберите регистратор не меньше чем на 8 каналов."


@pytest.mark.parametrize(
    ("overrides", "extra", "failing"),
    [
        (k.Overrides(recorder=13), {k.RECORDER: [nvr(13, 9000, incoming=40)]}, "bandwidth"),  # 36 > 30
        (k.Overrides(recorder=13), {k.RECORDER: [nvr(13, 9000, max_mp=2)]}, "resolution"),
        (
            k.Overrides(recorder=13, disk=23),
            {k.RECORDER: [nvr(13, 9000, max_tb=4)], k.DISK: [hdd(23, 9000, 8)]},
            "disks",
        ),
        (k.Overrides(disk=20), {}, "archive"),
        (k.Overrides(recorder=12, switch=31), {k.SWITCH: [poe_switch(31, 3000, budget=40)]}, "poe"),  # 48 W > 32 W
        (k.Overrides(cameras={0: 2}), {}, "stock"),
        (k.Overrides(cameras={0: 3}), {k.CAMERA: [cam(3, 9000, mp=2)]}, "cameras"),
    ],
)
def test_each_check_fails_on_its_own(overrides, extra, failing):
    parts = catalogue()
    for role, added in extra.items():
        parts[role] = parts[role] + added
    if failing == "cameras":
        parts[k.CAMERA] = [cam(1, 5000), cam(3, 9000, mp=2)]

    kit = k.kit_select(requirement(detail=k.FACES if failing == "cameras" else k.OVERVIEW), parts, overrides).kit

    assert [check.code for check in kit.failures] == [failing]


def test_recorders_dearer_than_a_passing_kit_are_never_built(monkeypatch):
    dear = [nvr(100 + n, 50_000 + n, ports=8, budget=80, std="802.3af") for n in range(50)]
    parts = catalogue(**{k.RECORDER: [nvr(10, 10000, ports=8, budget=80, std="802.3af"), *dear]})
    built = []
    real = k.kit_build
    monkeypatch.setattr(k, "kit_build", lambda *args: built.append(args[2].product_id) or real(*args))

    kit = k.kit_select(requirement(), parts).kit

    assert kit.part(k.RECORDER).product_id == 10
    assert built == [10]


def test_a_part_in_a_region_is_a_copy_with_its_units():
    shared = cam(1, 5000, units=0)

    local = shared.in_region(7)

    assert (local.units, shared.units) == (7, 0)
    assert local == cam(1, 5000, units=7)


def test_an_analog_kit_takes_a_power_supply_for_every_four_cameras():
    parts = catalogue(**{k.POWER: [part(70, k.POWER, 1890, pack=4)]})
    parts[k.CAMERA] = [cam(1, 5000, poe=None)]
    parts[k.RECORDER] = [nvr(12, 9000)]

    kit = k.kit_select(requirement(cameras=6), parts).kit

    assert {line.part.product_id: line.quantity for line in kit.lines}[70] == 2
    assert kit.switch_count == 0
