"""The shop's URLs plus a trivial view: the baseline every page is measured against."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """Answer a tiny page: the cost of the server, the middleware and the URL resolver alone."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("shop.urls")),
]
