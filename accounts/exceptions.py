"""Messages the accounts services raise; tests reuse them."""

LOGIN_REQUIRED = "Укажите email или номер телефона."
LOGIN_INVALID = "Введите email или российский номер телефона, например +7 916 123-45-67."
EMAIL_TAKEN = "Этот email уже зарегистрирован. Войдите или восстановите пароль."
PHONE_TAKEN = "Этот номер телефона уже зарегистрирован. Войдите или восстановите пароль."
# Signup, a login by code and a password reset answer the same question the same way, within one allowance.
EMAIL_UNKNOWN = "Аккаунта с этим email нет. Проверьте адрес или зарегистрируйтесь."
PHONE_UNKNOWN = "Аккаунта с этим номером телефона нет. Проверьте номер или зарегистрируйтесь."
LOOKUPS_EXHAUSTED = "Слишком много проверок email и телефонов с вашего адреса. Подождите минуту и попробуйте снова."
CONSENT_REQUIRED = "Без согласия на обработку персональных данных зарегистрироваться нельзя."
FIELD_REQUIRED_FOR_COMPANY = "Обязательное поле для компании."
CONFIRMATION_FAILED = "Неверный пароль."
JOIN_ALREADY_DECIDED = "По этому запросу уже принято решение."
JOIN_REQUESTED = (
    "Компания «{name}» уже зарегистрирована у нас. Мы отправили запрос на присоединение к ней: "
    "его подтвердит первый сотрудник компании в своём профиле или наш менеджер."
)
