"""What can go wrong with stock, each with the message the customer reads."""

STOCK_SHORT = "«{name}»: осталось только {left} шт."
STOCK_NONE = "«{name}» закончился"


class StockShort(Exception):
    """Fewer units are free than an order asks for; names the product and how many are left."""

    def __init__(self, *, product_id: int, name: str, left: int):
        self.product_id = product_id
        self.name = name
        self.left = left
        if left > 0:
            self.message = STOCK_SHORT.format(name=name, left=left)
        else:
            self.message = STOCK_NONE.format(name=name)
        super().__init__(self.message)
