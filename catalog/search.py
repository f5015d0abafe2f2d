"""Text normalisation shared by indexing and querying."""

import re

import snowballstemmer

_stemmer = snowballstemmer.stemmer("russian")
_english = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[\w\-./]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-я]")


def normalize(text: str) -> str:
    """Lower-case, fold ё to е, drop NUL characters (PostgreSQL refuses them) and squeeze white space."""
    return " ".join(text.lower().replace("ё", "е").replace("\x00", "").split())


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def stem(word: str) -> str:
    """Reduce a word to its stem so that «камеры» and «камера» meet."""
    if _CYRILLIC.search(word):
        return _stemmer.stemWord(word)
    return _english.stemWord(word) if word.isalpha() else word


def build_search_text(*parts: str) -> str:
    """Index text: the normalised words of every part, once each, in order."""
    seen: dict[str, None] = {}
    for part in parts:
        for word in words(part or ""):
            seen.setdefault(word, None)
    return " ".join(seen)


def query_stems(query: str) -> list[str]:
    return [stem(w) for w in words(query)][:8]
