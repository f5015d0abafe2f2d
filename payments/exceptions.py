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


class PaymentNotNeeded(PaymentError):
    message = "Заказ оплачен скидкой и баллами — платить ничего не нужно"


class PaymentOnHold(PaymentError):
    message = "Банк уже подтвердил платёж — ждём списания, обновите страницу через минуту"


class RefundRefused(PaymentError):
    message = "Вернуть деньги по этому заказу нельзя"


class NothingToRefund(RefundRefused):
    message = "Возвращать нечего: деньги по заказу не поступали или уже возвращены"


class RefundTooMuch(RefundRefused):
    message = "Вернуть можно не больше {left}"


class RefundNotRetryable(RefundRefused):
    message = "Повторить можно только возврат, который не прошёл"
