"""Russian words around numbers."""

import re


def plural_form(number: int, one: str, few: str, many: str) -> str:
    """Pick the word for a count: 1 товар, 2 товара, 5 товаров, 11 товаров, 21 товар."""
    n = abs(int(number))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural(number: int, one: str, few: str, many: str) -> str:
    """The count with its word: «21 товар», «3 раздела»."""
    return f"{number} {plural_form(number, one, few, many)}"


SOFT_HYPHEN = "\u00ad"
_VOWELS = frozenset("аеёиоуыэюяАЕЁИОУЫЭЮЯ")
_NO_BREAK_BEFORE = frozenset("ьъйЬЪЙ")
_LONG_WORD = re.compile(r"[А-Яа-яЁё]{10,}")


def _hyphenate_word(word: str) -> str:
    """Soft hyphens at simple Russian syllable boundaries: V-CV, VC-C, й/ь/ъ-C; two letters stay on each side."""
    breaks = []
    for i in range(2, len(word) - 1):
        before, after = word[:i], word[i:]
        if not (_VOWELS & set(before) and _VOWELS & set(after)) or word[i] in _NO_BREAK_BEFORE:
            continue
        prev_vowel, this_vowel = word[i - 1] in _VOWELS, word[i] in _VOWELS
        next_vowel = word[i + 1] in _VOWELS
        if (
            (prev_vowel and not this_vowel and next_vowel)
            or (not prev_vowel and not this_vowel and word[i - 2] in _VOWELS and word[i - 1] not in _NO_BREAK_BEFORE)
            or (word[i - 1] in _NO_BREAK_BEFORE and not this_vowel)
        ):
            breaks.append(i)
    for i in reversed(breaks):
        word = word[:i] + SOFT_HYPHEN + word[i:]
    return word


def soft_hyphens(text: str) -> str:
    """Let long Russian words break with a hyphen where the browser has no hyphenation dictionary."""
    return _LONG_WORD.sub(lambda match: _hyphenate_word(match.group()), str(text))
