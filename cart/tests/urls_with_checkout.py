"""The shop's URLs plus a stand-in checkout page, to see the cart as it will be once checkout exists."""

from django.http import HttpResponse
from django.urls import include, path

from shop.urls import urlpatterns as shop_urlpatterns

checkout = ([path("checkout/", lambda request: HttpResponse("checkout"), name="checkout")], "orders")
urlpatterns = [path("", include(checkout)), *shop_urlpatterns]
