"""The engineering by hand-worked figures: no database."""

import math

import pytest

from configurator import engineering as eng

EIGHT_4MP = [4.0] * 8


def load(mp=4.0, main=4.0, sub=0.5, poe="802.3af", watts=6.0):
    return eng.CameraLoad(mp, main, sub, poe, watts)


@pytest.mark.parametrize(
    ("mp", "codec", "fps", "expected"),
    [
        (4, "H.265", 25, 4.0),
        (4, "H.264", 25, 8.0),
        (2, "H.265+", 25, 1.0),
        (8, "H.265", 12.5, 4.0),
        (2, "MJPEG", 25, 4.0),
    ],
)
def test_bitrate_estimate_by_resolution_codec_and_fps(mp, codec, fps, expected):
    assert eng.estimate_bitrate_mbps(resolution_mp=mp, codec=codec, fps=fps) == pytest.approx(expected)


def test_stated_streams_win_over_the_estimate():
    assert eng.camera_streams_mbps(main_mbps=6.0, sub_mbps=1.0, resolution_mp=4, codec="H.264") == (6.0, 1.0)
    assert eng.camera_streams_mbps(main_mbps=None, sub_mbps=None, resolution_mp=4, codec="H.265") == (4.0, 0.5)


def test_eight_4mp_cameras_for_30_days_continuous_need_10_37_tb():
    needed = eng.storage_bytes(main_streams_mbps=EIGHT_4MP, days=30, recorded_share=1.0)

    assert needed == 10_368_000_000_000
    assert round(eng.terabytes(needed), 2) == 10.37


def test_the_same_cameras_by_motion_40_percent_need_4_15_tb():
    needed = eng.storage_bytes(main_streams_mbps=EIGHT_4MP, days=30, recorded_share=0.4)

    assert round(eng.terabytes(needed), 2) == 4.15


@pytest.mark.parametrize(
    ("raid", "count", "tb"),
    [("none", 2, 7.6), ("1", 2, 3.8), ("5", 3, 7.6), ("5", 2, 0.0), ("10", 4, 7.6), ("none", 0, 0.0)],
)
def test_usable_capacity_by_raid_level_less_the_file_system_reserve(raid, count, tb):
    assert eng.terabytes(eng.usable_bytes(disk_tb=4, count=count, raid=raid)) == pytest.approx(tb)


def test_archive_days_from_the_disks():
    usable = eng.usable_bytes(disk_tb=4, count=1)  # 3.8 TB
    days = eng.archive_days(usable=usable, main_streams_mbps=EIGHT_4MP, recorded_share=0.4)

    assert days == pytest.approx(27.488, abs=0.001)  # 3.8e12 / (4e6 B/s × 86400 s × 0.4)


def test_archive_check_passes_with_its_figures():
    check = eng.archive_check(
        disk_tb=6, disk_count=1, raid="none", main_streams_mbps=EIGHT_4MP, recorded_share=0.4, days_needed=30
    )
    assert check.ok
    assert check.text == "Архив: 41 день при записи по движению 40 % (нужно 30)"


def test_archive_check_fails_saying_how_much_is_needed():
    check = eng.archive_check(
        disk_tb=2, disk_count=1, raid="none", main_streams_mbps=EIGHT_4MP, recorded_share=1.0, days_needed=30
    )
    assert not check.ok
    assert check.text == "Архив: 5 дней при постоянной записи (нужно 30)"
    assert check.reason.startswith("Нужно 10,37 ТБ под видео, а дисков хватает на 1,9 ТБ")


def test_channels_check():
    assert eng.channels_check(cameras=8, channels=16) == eng.Check("channels", True, "Каналы: 8 из 16")
    failed = eng.channels_check(cameras=12, channels=8)
    assert (failed.ok, failed.text) == (False, "Каналы: 12 из 8")
    assert "не меньше чем на 12 каналов" in failed.reason


def test_bandwidth_check_keeps_a_quarter_in_reserve():
    loads = [load(main=4.0, sub=0.75)] * 8  # 38 Mbit/s
    assert eng.bandwidth_check(loads=loads, incoming_mbps=80).text == "Входящий поток: 38 из 80 Мбит/с (запас 25 %)"
    assert eng.bandwidth_check(loads=loads, incoming_mbps=80).ok
    assert not eng.bandwidth_check(loads=loads, incoming_mbps=50).ok  # 38 > 37.5


def test_resolution_check():
    assert eng.resolution_check(loads=[load(mp=4)], recorder_max_mp=6).ok
    failed = eng.resolution_check(loads=[load(mp=4), load(mp=8)], recorder_max_mp=6)
    assert not failed.ok
    assert "камера 8 Мп, регистратор — до 6 Мп" in failed.text


def test_disks_check():
    assert eng.disks_check(disk_count=2, disk_tb=4, bays=2, max_disk_tb=10) == eng.Check(
        "disks", True, "Диски: 2 × 4 ТБ в 2 отсека"
    )
    assert not eng.disks_check(disk_count=3, disk_tb=4, bays=2, max_disk_tb=10).ok
    assert not eng.disks_check(disk_count=1, disk_tb=12, bays=2, max_disk_tb=10).ok
    assert not eng.disks_check(disk_count=1, disk_tb=4, bays=2, max_disk_tb=10, raid="1").ok


def test_poe_check_budget_with_a_fifth_in_reserve():
    loads = [load(watts=11.5)] * 4  # 46 W
    passing = eng.poe_check(loads=loads, budget_w=60, standard="802.3at", source="коммутатор")
    assert passing.ok
    assert passing.text == "PoE (коммутатор): 46 Вт из 60 Вт (запас 20 %), каждый порт — не меньше класса камеры"
    over = eng.poe_check(loads=[load(watts=11.5)] * 5, budget_w=60, standard="802.3at", source="коммутатор")
    assert not over.ok  # 57.5 W > 48 W
    assert "с запасом даёт 48 Вт" in over.reason


def test_poe_check_fails_a_camera_whose_class_its_port_cannot_give():
    failed = eng.poe_check(loads=[load(poe="802.3at", watts=20)], budget_w=120, standard="802.3af", source="коммутатор")
    assert not failed.ok
    assert "нужен порт 802.3at" in failed.reason


def test_cameras_without_poe_draw_nothing():
    check = eng.poe_check(loads=[load(poe=None, watts=0)], budget_w=0, standard=None, source="регистратор")
    assert check.ok


def test_family_check():
    ip = frozenset({"IP"})
    assert eng.family_check(family_label="IP", camera_families=[ip], recorder_families=ip).ok
    assert not eng.family_check(family_label="IP", camera_families=[ip], recorder_families=frozenset({"AHD"})).ok


def test_port_watts_by_standard():
    assert [eng.port_watts(s) for s in ("802.3af", "802.3at", "802.3bt", "802.3bt-90", None)] == [
        15.4,
        30.0,
        60.0,
        90.0,
        0.0,
    ]


def test_packs_and_switches_needed():
    assert eng.packs_needed(amount=240, per_pack=100) == 3
    assert eng.packs_needed(amount=0, per_pack=100) == 0
    assert eng.ports_needed(cameras=9, ports_per_switch=8) == 2
    assert eng.archive_days(usable=1, main_streams_mbps=[], recorded_share=1) == math.inf
