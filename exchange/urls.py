from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("1c/exchange/", views.exchange, name="1c"),
    # Typed into 1C without the slash: a redirect would lose the body of a POST.
    path("1c/exchange", views.exchange),
]
