"""Narrowing candidates before stock is read: no database."""

from configurator import kit as k
from configurator import shortlist as sh
from configurator.tests.test_kit import cam, catalogue, hdd, nvr, requirement


def _figures(parts: dict[str, list[k.Part]]) -> sh.Figures:
    """The shared figures say nothing of stock: every part with 0 units, as the shared read keeps them."""
    return sh.Figures.of(p.in_region(0) for listed in parts.values() for p in listed)


def _reader(parts: dict[str, list[k.Part]]):
    units = {p.product_id: p.units for listed in parts.values() for p in listed}
    asked: list[list[int]] = []

    def units_of(ids: list[int]) -> dict[int, int]:
        asked.append(ids)
        return {pid: units[pid] for pid in ids if units.get(pid)}

    return units_of, asked


def _narrowed(parts, req, overrides=None):
    units_of, asked = _reader(parts)
    return sh.parts_for(req, overrides or k.Overrides(), _figures(parts), units_of), asked


def _lines(kit):
    return [(line.part.product_id, line.quantity) for line in kit.lines]


def _crowded():
    """The test catalogue and a thousand cameras and recorders more: dearer, out of stock, or unfit."""
    parts = catalogue()
    parts[k.CAMERA] = parts[k.CAMERA] + [cam(1000 + n, 6000 + n, units=n % 3) for n in range(600)]
    parts[k.CAMERA] += [cam(2000 + n, 100 + n, units=0) for n in range(30)]  # cheaper, none in stock
    parts[k.RECORDER] = parts[k.RECORDER] + [nvr(3000 + n, 12000 + n, incoming=20) for n in range(400)]
    parts[k.RECORDER] += [nvr(4000 + n, 11000 + n) for n in range(100)]
    return parts


def test_the_narrowed_parts_give_the_kit_of_the_whole_catalogue():
    parts, req = _crowded(), requirement()

    read, asked = _narrowed(parts, req)

    assert _lines(k.kit_select(req, read).kit) == _lines(k.kit_select(req, parts).kit)
    assert len(asked) == 2
    assert sum(len(ids) for ids in asked) < 150  # of 1,150 cameras and recorders


def test_a_reliable_kit_and_a_swap_are_the_same_as_from_the_whole_catalogue():
    parts = _crowded()
    parts[k.RECORDER] += [nvr(5000, 15000, bays=2)]
    for req, overrides in [
        (requirement(cameras=4, reliable=True), k.Overrides()),
        (requirement(), k.Overrides(recorder=11, cameras={0: 1003})),
    ]:
        read, _asked = _narrowed(parts, req, overrides)

        assert _lines(k.kit_select(req, read, overrides).kit) == _lines(k.kit_select(req, parts, overrides).kit)


def test_a_zone_whose_first_cameras_lack_the_units_reads_the_rest():
    parts = catalogue()
    parts[k.CAMERA] = [cam(100 + n, 1000 + n, units=0) for n in range(sh.CAMERAS_READ + 5)] + [cam(999, 9000)]
    req = requirement()

    read, asked = _narrowed(parts, req)

    assert len(asked) == 3  # the first cameras, the rest of the starved zone, the recorders
    assert k.kit_select(req, read).kit.part(k.CAMERA).product_id == 999


def test_recorders_that_cannot_pass_with_the_cameras_are_not_read():
    parts = catalogue()
    parts[k.RECORDER] = [nvr(50 + n, 5000 + n, incoming=20) for n in range(50)] + [nvr(10, 10000, bays=1)]
    req = requirement()
    zones, _ = k.cameras_choose(req, parts[k.CAMERA][:1], {})

    recorders = sh.recorders_worth_reading(req, zones, [hdd(22, 14000, 6)], _figures(parts))

    worth = [r.product_id for r in recorders]
    assert 10 in worth
    assert len(worth) == 1 + sh.RECORDERS_NEAREST  # the one that can pass and the cheapest, for the nearest kit


def test_disks_of_one_capacity_are_read_cheapest_first_only():
    parts = catalogue(**{k.DISK: [hdd(200 + n, 9000 + n, 4) for n in range(20)]})
    groups = sh.groups_for(requirement(), k.Overrides(), _figures(parts))

    disks = {p.product_id for g in groups if g.need for p in g.first if p.role == k.DISK}

    assert disks == {200, 201, 202}  # beside the swap list's, the cheapest shown whatever their stock


def test_a_swapped_recorder_keeps_the_configurators_own_kit_to_compare_with():
    parts, req = _crowded(), requirement()
    overrides = k.Overrides(recorder=11)

    read, _asked = _narrowed(parts, req, overrides)

    assert _lines(k.kit_select(req, read).kit) == _lines(k.kit_select(req, parts).kit)
    assert k.kit_select(req, read, overrides).kit.part(k.RECORDER).product_id == 11
