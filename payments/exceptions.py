"""Why a payment cannot be started, each with the message the buyer reads."""


class PaymentError(Exception):
    message = "Оплата сейчас недоступна"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class OrderNotPayable(PaymentError):
    message = "Этот заказ не ожидает оплаты"


class ReservationExpired(PaymentError):
    message = "Время на оплату истекло — резерв снят, оформите заказ заново"


class ProviderUnavailable(PaymentError):
    message = "Платёжный сервис не ответил — попробуйте ещё раз через минуту"
