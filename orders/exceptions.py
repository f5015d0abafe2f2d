"""Why an order cannot be placed or changed, each with the message the buyer or staff read."""

from core.money import format_rub


class OrderError(Exception):
    """A refused order action; `field` names the checkout field the message belongs beside, if any."""

    message = "Не удалось оформить заказ"
    field: str | None = None

    def __init__(self, message: str | None = None, *, field: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message
        if field:
            self.field = field


class CheckoutInvalid(OrderError):
    message = "Проверьте данные заказа"

    def __init__(self, errors: dict | None = None):
        super().__init__()
        self.errors = errors or {}


class CartEmpty(OrderError):
    message = "Корзина пуста — добавьте товары, чтобы оформить заказ"


class MethodNotAllowed(OrderError):
    message = "Этот способ оплаты недоступен для заказа"
    field = "payment_method"


class InvoiceForCompaniesOnly(MethodNotAllowed):
    message = "Оплата по счёту доступна только юрлицам"


class OnReceiptNotForDelivery(MethodNotAllowed):
    message = "Оплата при получении недоступна для этого способа доставки"


class OrderTotalChanged(OrderError):
    """Prices, the promo code or delivery changed between showing «Оплата» and confirming it."""

    message = "Сумма заказа изменилась: было {old}, стало {new}"

    def __init__(self, *, old, new):
        super().__init__(self.message.format(old=format_rub(old), new=format_rub(new)))
        self.old = old
        self.new = new


class StatusMoveRefused(OrderError):
    message = "Заказ нельзя перевести в этот статус"


class OrderNotCancellable(OrderError):
    message = "Заказ уже передан в доставку — отменить его нельзя"


class OrderAccountRefused(OrderError):
    """A guest's order cannot become an account."""

    message = "Не удалось создать аккаунт"


class OrderAccountNoLogin(OrderAccountRefused):
    message = (
        "Для входа нужен email или мобильный телефон, а в заказе их нет — "
        "зарегистрируйтесь, указав email или мобильный номер."
    )


class OrderAccountLoginTaken(OrderAccountRefused):
    """The order's email or phone has an account already; the message is the signup form's."""


class ReservationLost(OrderError):
    """Money arrived for an order that can no longer be served; the payment is given back."""

    message = "Товара для заказа больше нет в резерве"


class ReturnRefused(OrderError):
    message = "Вернуть товар по этому заказу нельзя"


class ReturnPeriodOver(ReturnRefused):
    message = "Срок возврата истёк: вернуть товар можно в течение {days} дней после получения"


class ReturnNothingChosen(ReturnRefused):
    message = "Отметьте товары и количество, которые возвращаете"
    field = "lines"


class ReturnTooMany(ReturnRefused):
    message = "«{name}»: вернуть можно не больше {left} шт."
    field = "lines"


class ReturnAlreadyDecided(ReturnRefused):
    message = "По этому возврату уже принято решение"
