from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("start/<str:number>/", views.payment_begin, name="start"),
    path("sandbox/<str:external_id>/", views.sandbox_page, name="sandbox"),
    path("return/<uuid:public_id>/", views.payment_return, name="return"),
    path("webhook/yookassa/", views.yookassa_webhook, name="webhook-yookassa"),
    path("webhook/sandbox/", views.sandbox_webhook, name="webhook-sandbox"),
]
