"""Why a promo code is refused, each with the message the buyer reads next to the field."""


class PromoError(Exception):
    message = "Промокод не подходит"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class PromoNotFound(PromoError):
    message = "Такого промокода нет"


class PromoNotStarted(PromoError):
    message = "Промокод ещё не действует"


class PromoExpired(PromoError):
    message = "Промокод истёк"


class PromoUsedByCustomer(PromoError):
    message = "Промокод уже использован"


class PromoExhausted(PromoError):
    message = "Лимит использований промокода исчерпан"
