TELEGRAM_LINK_INVALID = "Ссылка устарела или уже использована. Получите новую в профиле на сайте «Охрана Плюс»."
TELEGRAM_NOT_LINKED = "Сначала привяжите Telegram: кнопка «Привязать Telegram» ниже."
SMS_NEEDS_PHONE = "Чтобы получать SMS, укажите телефон в профиле."


class TelegramLinkInvalid(Exception):
    """The start token is unknown, expired or used."""
