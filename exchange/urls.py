from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("1c/exchange/", views.exchange, name="1c"),
]
