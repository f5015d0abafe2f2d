import factory

from accounts.models import AccountType, Company, ConsentRecord, User
from accounts.selectors import consent_text_current

PASSWORD = "Ohrana-Plus-2025!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"buyer{n}@example.ru")
    phone = None
    first_name = "Ирина"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PhoneUserFactory(UserFactory):
    email = None
    phone = factory.Sequence(lambda n: f"+7916{n:07d}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    inn = "7707083893"
    kpp = "773601001"
    name = "ПАО Сбербанк"
    legal_address = "117312, г. Москва, ул. Вавилова, д. 19"
    contact_name = "Пётр Иванов"
    contact_phone = "+79161112233"
    contact_email = "zakupki@example.ru"


class CompanyUserFactory(UserFactory):
    account_type = AccountType.COMPANY
    company = factory.SubFactory(CompanyFactory)


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    user = factory.SubFactory(UserFactory)
    text = factory.LazyFunction(consent_text_current)
    ip_address = "127.0.0.1"
