from django.urls import path

from configurator import views

app_name = "configurator"

urlpatterns = [
    path("", views.configurator, name="index"),
    path("save/", views.save, name="save"),
    path("cart/", views.add_to_cart, name="add_to_cart"),
    path("s/<str:token>/", views.saved, name="saved"),
]
