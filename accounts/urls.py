from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    # Shadows allauth's signup at the same address to run it in one transaction.
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("profile/delete/", views.account_delete, name="delete"),
    path("consent/", views.consent_text, name="consent"),
    path("privacy/", views.privacy_policy, name="privacy"),
]
