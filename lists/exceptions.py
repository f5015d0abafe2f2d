"""What the lists refuse, each with the message the shopper reads."""

COMPARE_LIMIT = 10


class ListError(Exception):
    """A list action the shop refuses; `message` is shown to the shopper as is."""

    message = "Не удалось изменить список."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class ProductNotFound(ListError):
    message = "Такого товара нет в каталоге."


class CompareLimit(ListError):
    message = f"В сравнении уже {COMPARE_LIMIT} товаров этой категории. Уберите один, чтобы добавить другой."


class AlreadyInStock(ListError):
    message = "Этот товар уже в наличии: его можно заказать сейчас."


class EmailNeeded(ListError):
    message = "Укажите email, на который сообщить о поступлении."
