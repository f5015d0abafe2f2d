from django.apps import AppConfig


class ListsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lists"
    verbose_name = "Избранное и сравнение"

    def ready(self):
        from lists import receivers  # noqa: F401
