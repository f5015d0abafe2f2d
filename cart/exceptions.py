"""What can go wrong with a cart, each with the message the customer reads."""


class CartError(Exception):
    """A cart action the shop refuses; `message` is shown to the customer as is."""

    message = "Не удалось изменить корзину."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class InvalidQuantity(CartError):
    message = "Укажите количество от 1 до 99 шт."


class LineQuantityLimit(CartError):
    message = "В корзине может быть не больше 99 шт. одного товара."


class ProductNotOnSale(CartError):
    message = "Этот товар больше не продаётся."


class ProductOutOfStock(CartError):
    message = "Этого товара нет в наличии."


class CartLineNotFound(CartError):
    message = "Такой строки в корзине нет."


class QuantityAboveAvailable(CartError):
    """More units asked for than can be delivered, for a product that cannot be ordered ahead."""

    template = "Доступно только {limit} шт."

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(self.template.format(limit=limit))
