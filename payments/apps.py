from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "payments"
    verbose_name = "Оплата"

    def ready(self):
        from payments import receivers  # noqa: F401
