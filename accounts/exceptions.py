"""Messages the accounts services raise; tests reuse them."""

LOGIN_REQUIRED = "Укажите email или номер телефона."
LOGIN_INVALID = "Введите email или российский номер телефона, например +7 916 123-45-67."
EMAIL_TAKEN = "Этот email уже зарегистрирован. Войдите или восстановите пароль."
PHONE_TAKEN = "Этот номер телефона уже зарегистрирован. Войдите или восстановите пароль."
CONSENT_REQUIRED = "Без согласия на обработку персональных данных зарегистрироваться нельзя."
FIELD_REQUIRED_FOR_COMPANY = "Обязательное поле для компании."
CONFIRMATION_FAILED = "Неверный пароль."
