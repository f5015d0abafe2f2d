from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.validators import validate_inn, validate_kpp


class AccountType(models.TextChoices):
    PERSON = "person", "Частное лицо"
    COMPANY = "company", "Компания"


class Company(models.Model):
    """A legal entity or sole trader that buys; several users may buy for one company."""

    inn = models.CharField("ИНН", max_length=12, db_index=True, validators=[validate_inn])
    kpp = models.CharField("КПП", max_length=9, blank=True, validators=[validate_kpp])
    name = models.CharField("название", max_length=255)
    legal_address = models.CharField("юридический адрес", max_length=500)
    contact_name = models.CharField("контактное лицо", max_length=150)
    contact_phone = models.CharField("телефон контактного лица", max_length=16, blank=True)
    contact_email = models.EmailField("email контактного лица", blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "компания"
        verbose_name_plural = "компании"
        ordering = ["name", "pk"]
        constraints = [
            # One company per ИНН and КПП; a second buyer asks to join it. Anonymised rows have no ИНН.
            models.UniqueConstraint(fields=["inn", "kpp"], condition=~models.Q(inn=""), name="company_inn_kpp_unique"),
        ]

    def __str__(self):
        return f"{self.name} (ИНН {self.inn})" if self.inn else self.name

    @property
    def is_sole_trader(self) -> bool:
        """A sole trader's ИНН is 12 digits (a person's); a legal entity's is 10."""
        return len(self.inn) == 12

    def clean(self):
        from django.core.exceptions import ValidationError

        from accounts.validators import KPP_NOT_FOR_SOLE_TRADER, KPP_REQUIRED

        if len(self.inn) == 10 and not self.kpp:
            raise ValidationError({"kpp": KPP_REQUIRED})
        if len(self.inn) == 12 and self.kpp:
            raise ValidationError({"kpp": KPP_NOT_FOR_SOLE_TRADER})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, phone, password, **extra_fields):
        if not email and not phone:
            raise ValueError("Укажите email или телефон.")
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, phone=phone or None, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, phone=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, phone, password, **extra_fields)

    def create_superuser(self, email=None, password=None, phone=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, phone, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A customer or a member of staff; logs in by email or by phone (E.164)."""

    email = models.EmailField("email", unique=True, null=True, blank=True)
    phone = models.CharField("телефон", max_length=16, unique=True, null=True, blank=True)
    first_name = models.CharField("имя", max_length=150, blank=True)
    last_name = models.CharField("фамилия", max_length=150, blank=True)
    is_staff = models.BooleanField("сотрудник", default=False)
    is_active = models.BooleanField("активен", default=True)
    date_joined = models.DateTimeField("дата регистрации", default=timezone.now)
    phone_verified = models.BooleanField("телефон подтверждён", default=False)
    account_type = models.CharField(
        "тип аккаунта", max_length=10, choices=AccountType.choices, default=AccountType.PERSON
    )
    company = models.ForeignKey(
        Company, verbose_name="компания", null=True, blank=True, on_delete=models.SET_NULL, related_name="buyers"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name="регион", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_type = models.ForeignKey(
        "catalog.ObjectType",
        verbose_name="тип объекта",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    interests = models.ManyToManyField("catalog.Category", verbose_name="интересы", blank=True, related_name="+")
    updated_at = models.DateTimeField("изменён", auto_now=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="user_has_email_or_phone",
            ),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email or self.phone or f"#{self.pk}"

    def get_full_name(self):
        return " ".join(part for part in (self.first_name, self.last_name) if part) or str(self)

    def get_short_name(self):
        return self.first_name or str(self)

    @property
    def is_b2b(self) -> bool:
        return self.account_type == AccountType.COMPANY


class CompanyJoinRequest(models.Model):
    """A buyer's request to buy for a company that is already registered."""

    class Status(models.TextChoices):
        PENDING = "pending", "ждёт решения"
        APPROVED = "approved", "принят"
        DECLINED = "declined", "отклонён"

    company = models.ForeignKey(
        Company, verbose_name="компания", on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        User, verbose_name="пользователь", on_delete=models.CASCADE, related_name="company_join_requests"
    )
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    decided_at = models.DateTimeField("решение принято", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="кто решил", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "запрос на присоединение к компании"
        verbose_name_plural = "запросы на присоединение к компаниям"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "user"], condition=models.Q(status="pending"), name="company_join_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.company.name}: {self.get_status_display()}"


class ConsentKind(models.TextChoices):
    PERSONAL_DATA = "personal_data", "Обработка персональных данных"


class ConsentText(models.Model):
    """One published version of a consent text, kept in full: a record proves what exactly was agreed to."""

    kind = models.CharField("вид согласия", max_length=30, choices=ConsentKind.choices)
    version = models.CharField("версия", max_length=20)
    title = models.CharField("заголовок", max_length=200)
    body = models.TextField("полный текст (HTML)")
    published_at = models.DateTimeField("опубликован", default=timezone.now)

    class Meta:
        verbose_name = "текст согласия"
        verbose_name_plural = "тексты согласий"
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="consent_text_kind_version_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}, версия {self.version}"


class ConsentRecord(models.Model):
    """Proof of a consent under 152-FZ: when, from which address, to which version of the text."""

    Kind = ConsentKind

    user = models.ForeignKey(User, verbose_name="пользователь", on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(
        "вид согласия", max_length=30, choices=ConsentKind.choices, default=ConsentKind.PERSONAL_DATA
    )
    text = models.ForeignKey(ConsentText, verbose_name="текст", on_delete=models.PROTECT, related_name="records")
    given_at = models.DateTimeField("дано", default=timezone.now)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    user_agent = models.CharField("браузер", max_length=300, blank=True)
    withdrawn_at = models.DateTimeField("отозвано", null=True, blank=True)

    class Meta:
        verbose_name = "согласие"
        verbose_name_plural = "согласия"
        ordering = ["-given_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, версия {self.version}, {self.given_at:%d.%m.%Y %H:%M}"

    @property
    def version(self) -> str:
        return self.text.version


class SmsStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    SENT = "sent", "передано оператору"
    DELIVERED = "delivered", "доставлено"
    UNDELIVERED = "undelivered", "не доставлено"
    FAILED = "failed", "не отправлено"


class SmsMessage(models.Model):
    """One text message as sent through the SMS gateway, with login codes masked, for staff to trace."""

    Status = SmsStatus

    phone = models.CharField("телефон", max_length=16)
    text = models.TextField("текст", help_text="Коды входа и подтверждения скрыты.")
    backend = models.CharField("шлюз", max_length=200)
    provider_id = models.CharField("номер у шлюза", max_length=64, blank=True)
    status = models.CharField("статус", max_length=12, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    provider_status = models.CharField("ответ шлюза", max_length=300, blank=True)
    error = models.TextField("ошибка", blank=True)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    status_checked_at = models.DateTimeField("статус проверен", null=True, blank=True)

    class Meta:
        verbose_name = "SMS"
        verbose_name_plural = "SMS"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="sms_status_created")]

    def __str__(self):
        return f"{self.phone}, {self.created_at:%d.%m.%Y %H:%M}, {self.get_status_display()}"
