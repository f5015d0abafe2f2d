"""Why a delivery choice is refused, each with the message the buyer reads next to the field."""


class DeliveryError(Exception):
    message = "Этот способ доставки недоступен"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class WindowFull(DeliveryError):
    message = "Это окно уже занято — выберите другое"


class WindowInPast(DeliveryError):
    message = "Эта дата уже прошла — выберите другую"


class NoCourierInRegion(DeliveryError):
    message = "Курьер в этот регион не ездит"
