from django.urls import path

from cart import views

app_name = "cart"

urlpatterns = [
    path("", views.cart_detail, name="detail"),
    path("add/", views.cart_add, name="add"),
    path("line/<int:line_id>/", views.cart_line_update, name="line_update"),
    path("line/<int:line_id>/remove/", views.cart_line_remove, name="line_remove"),
]
