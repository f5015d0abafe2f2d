"""Why points cannot be used, each with the message the buyer reads."""


class PointsError(Exception):
    message = "Баллы нельзя использовать"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class NotEnoughPoints(PointsError):
    message = "Баллов на счёте не хватает"


class InvalidPointsAmount(PointsError):
    message = "Укажите целое положительное число баллов"


class HoldAlreadySettled(PointsError):
    message = "Эти баллы уже списаны или возвращены"
