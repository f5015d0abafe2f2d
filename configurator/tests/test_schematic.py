"""The schematic is drawn on the server with the kit's figures, every text escaped."""

from configurator import kit as k
from configurator.schematic import schematic_svg
from configurator.tests.test_kit import catalogue, nvr


def test_schematic_draws_zones_switch_recorder_and_disks_with_figures():
    parts = catalogue(**{k.RECORDER: [nvr(12, 9000)]})
    zone = k.Zone("<Склад>", 6, False, k.OVERVIEW, 10)
    requirement = k.Requirement(zones=(zone,), family="ip", days=14, recorded_share=1.0)
    kit = k.kit_select(requirement, parts).kit

    svg = str(schematic_svg(kit))

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "&lt;Склад&gt;: 6 × камера" in svg and "<Склад>" not in svg
    assert "24 Мбит/с" in svg  # 6 × 4 Mbit/s from the zone to the switch
    assert "PoE-коммутатор × 1" in svg and "8 портов, 60 Вт" in svg
    assert "27 Мбит/с" in svg  # main and sub streams from the switch to the recorder
    assert "Регистратор" in svg and "8 каналов" in svg
    assert f"Диски {kit.disk_count} × " in svg and "без RAID" in svg
