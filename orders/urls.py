from django.urls import path, re_path

from orders import views

app_name = "orders"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/payment/", views.checkout_payment, name="payment"),
    path("orders/", views.order_list, name="list"),
    path("orders/<str:number>/", views.order_detail, name="detail"),
    path("orders/<str:number>/account/", views.order_account, name="account"),
    path("orders/<str:number>/cancel/", views.order_cancel_view, name="cancel"),
    path("orders/<str:number>/return/", views.order_return, name="return"),
    path("orders/<str:number>/documents/<str:kind>.pdf", views.order_document, name="document"),
    # Last, and only for a secret of 20–32 URL-safe characters, so it never shadows the order's own pages.
    re_path(
        r"^orders/(?P<number>[0-9-]{6,20})/(?P<secret>[A-Za-z0-9_-]{20,32})/$", views.order_by_secret, name="secret"
    ),
]
