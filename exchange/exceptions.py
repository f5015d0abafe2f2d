"""What the exchange refuses, with the message 1C shows after `failure`."""


class ExchangeRefused(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"{self.message} (строка {self.line})" if self.line else self.message
