import pytest

from core.text import SOFT_HYPHEN, plural, soft_hyphens


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "0 товаров"),
        (1, "1 товар"),
        (2, "2 товара"),
        (4, "4 товара"),
        (5, "5 товаров"),
        (11, "11 товаров"),
        (12, "12 товаров"),
        (14, "14 товаров"),
        (21, "21 товар"),
        (22, "22 товара"),
        (25, "25 товаров"),
        (101, "101 товар"),
        (111, "111 товаров"),
        (112, "112 товаров"),
    ],
)
def test_plural_picks_one_few_or_many(number, expected):
    assert plural(number, "товар", "товара", "товаров") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Видеонаблюдение", "Ви-део-наб-лю-де-ние"),
        ("Видеорегистратор", "Ви-део-ре-гис-тра-тор"),
        ("Беспроводной датчик", "Бес-про-вод-ной датчик"),
        ("Сигнализации", "Сиг-на-ли-за-ции"),
        ("Умный дом", "Умный дом"),
        ("Hikvision DS-2CD2043G2-I", "Hikvision DS-2CD2043G2-I"),
    ],
)
def test_soft_hyphens_break_only_long_russian_words_between_syllables(text, expected):
    assert soft_hyphens(text).replace(SOFT_HYPHEN, "-") == expected


def test_soft_hyphens_leave_the_visible_text_unchanged():
    assert soft_hyphens("Извещатель охранный").replace(SOFT_HYPHEN, "") == "Извещатель охранный"
