from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("accounts/notices/", views.settings_edit, name="settings"),
    path("accounts/notices/telegram/link/", views.telegram_link, name="telegram_link"),
    path("accounts/notices/telegram/unlink/", views.telegram_unlink, name="telegram_unlink"),
    path("telegram/webhook/", views.telegram_webhook, name="telegram_webhook"),
]
