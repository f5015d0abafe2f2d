"""The shop's URLs plus one view that fails, to see the 500 page a customer gets."""

from django.urls import path

from shop.urls import urlpatterns as shop_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), *shop_urlpatterns]
