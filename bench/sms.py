"""An SMS backend for the benchmark, which runs production settings and sends nothing."""


class DiscardSmsBackend:
    """Drop every message: the benchmark never signs anyone up."""

    def send(self, *, phone: str, text: str) -> None:
        return None
