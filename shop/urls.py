from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from shop import views

admin.site.site_header = "Охрана Плюс — администрирование"
admin.site.site_title = "Охрана Плюс"
admin.site.index_title = "Управление магазином"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("readyz/", views.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("cart/", include("cart.urls")),
    path("payments/", include("payments.urls")),
    path("", include("exchange.urls")),
    path("service/", include("service.urls")),
    path("", include("notices.urls")),
    path("configurator/", include("configurator.urls")),
    path("", include("orders.urls")),
    path("", include("feeds.urls")),
    path("", include("lists.urls")),
    path("", include("catalog.urls")),
]

if settings.SERVE_MEDIA or settings.DEBUG:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
