"""allauth's account adapter: phone numbers on our User, Russian messages, mail after commit."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import exceptions, services
from accounts.fields import RussianPhoneField
from accounts.models import User
from accounts.sms import send_sms
from accounts.validators import normalize_phone
from core.http import client_ip

LOGIN_MISMATCH = "Неверный логин или пароль."
TOO_MANY_ATTEMPTS = "Слишком много неудачных попыток входа. Подождите несколько минут и попробуйте снова."


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # One message for a wrong email, phone or password: it never tells whether an account exists.
        "email_password_mismatch": LOGIN_MISMATCH,
        "phone_password_mismatch": LOGIN_MISMATCH,
        "username_password_mismatch": LOGIN_MISMATCH,
        "too_many_login_attempts": TOO_MANY_ATTEMPTS,
        # Whether a login has an account is said plainly, by signup, login by code and reset alike.
        "unknown_email": exceptions.EMAIL_UNKNOWN,
        "unknown_phone": exceptions.PHONE_UNKNOWN,
        "email_taken": exceptions.EMAIL_TAKEN,
        "phone_taken": exceptions.PHONE_TAKEN,
    }

    def get_login_stages(self) -> list[str]:
        # Phone confirmation is offered in the profile, never forced at signup or login.
        return [s for s in super().get_login_stages() if s != "allauth.account.stages.PhoneVerificationStage"]

    def get_client_ip(self, request) -> str:
        # One address for every limit and record: the shop's own function, which knows the trusted proxies.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # Failed logins count per account, so its email and its phone share one allowance of guesses.
        # A login that names no account is counted by what was typed, which looks the same from outside.
        email, phone = credentials.get("email"), credentials.get("phone")
        user = None
        if email:
            user = User.objects.filter(email=email.lower()).only("pk").first()
        elif phone:
            user = self.get_user_by_phone(phone)
        if user is not None:
            return f"user:{user.pk}"
        if phone:
            return f"phone:{phone}"
        return super()._get_login_attempts_cache_key(request, **credentials)

    def save_user(self, request, user, form, commit=True):
        from accounts.forms import SignupForm

        if isinstance(form, SignupForm):
            return form.register(request=request, user=user)
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        transaction.on_commit(lambda: super(AccountAdapter, self).send_mail(template_prefix, email, context))

    # Phone numbers live on User.phone (E.164) with User.phone_verified.

    def phone_form_field(self, **kwargs):
        return RussianPhoneField(mobile=True, **kwargs)

    def set_phone(self, user, phone, verified):
        services.user_set_phone(user=user, phone=phone, verified=verified)

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone):
        services.user_set_phone(user=user, phone=phone, verified=True)

    def get_user_by_phone(self, phone):
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        text = f"Код подтверждения Охрана Плюс: {code}. Никому его не сообщайте."
        transaction.on_commit(lambda: send_sms(phone=phone, text=text, secret=str(code)))
