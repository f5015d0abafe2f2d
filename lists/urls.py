from django.urls import path

from lists import views
from lists.models import ListKind

app_name = "lists"

urlpatterns = [
    path("favorites/", views.favorites, name="favorites"),
    path("favorites/toggle/", views.toggle, {"kind": ListKind.FAVORITES}, name="favorites_toggle"),
    path("favorites/remove/", views.remove, {"kind": ListKind.FAVORITES}, name="favorites_remove"),
    path("favorites/to-cart/", views.favorites_to_cart, name="favorites_to_cart"),
    path("compare/", views.compare, name="compare"),
    path("compare/toggle/", views.toggle, {"kind": ListKind.COMPARE}, name="compare_toggle"),
    path("compare/remove/", views.remove, {"kind": ListKind.COMPARE}, name="compare_remove"),
    path("compare/shared/<str:token>/", views.compare_shared, name="compare_shared"),
    path("notify/", views.stock_subscribe_view, name="stock_subscribe"),
    path("viewed/", views.viewed, name="viewed"),
    path("lists/state/", views.state, name="state"),
]
