"""Russian words around numbers."""


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
